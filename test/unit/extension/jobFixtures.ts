/**
 * Jobs and check events as the agent reports them, for the extension's unit
 * tests: an every-30 s command job last OK, with fields to override.
 */
import type { CheckEvent, JobSummary } from '../../../agent/jobs/protocol';

export function checkEvent(fields: Partial<CheckEvent> = {}): CheckEvent {
  return {
    timestamp: 1_000,
    connector: 'taskwarden',
    connector_name: 'command',
    event_type: 'check',
    source_type: 'resource',
    component: 'job',
    resource: 'disk',
    state: 0,
    state_type: 1,
    output: 'DISK OK - 42% free',
    execution_time: 0.012,
    ...fields,
  };
}

export function job(fields: Partial<JobSummary> = {}): JobSummary {
  return {
    name: 'disk',
    handler: 'command',
    schedule: { kind: 'every', everyMs: 30_000 },
    scheduleText: 'every 30s',
    enabled: true,
    paused: false,
    nextRun: 1_030_000,
    runningSince: null,
    last: checkEvent(),
    skipped: 0,
    configured: true,
    ...fields,
  };
}
