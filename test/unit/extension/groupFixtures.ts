/**
 * Groups as the agent reports them, for the extension's unit tests: a running
 * group of one tasklet, with fields to override.
 */
import type { GroupStatus, TaskletStatus } from '../../../agent/groups/protocol';

export function tasklet(fields: Partial<TaskletStatus> = {}): TaskletStatus {
  return {
    name: '10_count.js',
    file: '/ws/processhandler/demo/10_count.js',
    priority: 10,
    prioritySource: 'file name',
    description: null,
    mainLine: 1,
    hasMatch: false,
    outcome: 'ok',
    matched: true,
    lastMatchAt: 50_000,
    lastRunAt: 50_000,
    lastDurationMs: 12,
    lastError: null,
    ...fields,
  };
}

export function group(fields: Partial<GroupStatus> = {}): GroupStatus {
  return {
    name: 'demo',
    state: 'running',
    folder: '/ws/processhandler/demo',
    paramsFile: '/ws/processhandler/demo/params.yaml',
    language: 'javascript',
    intervalSeconds: 10,
    timeLimitSeconds: 60,
    enabled: true,
    pid: 4321,
    startedAt: 0,
    rounds: 3,
    lastRoundAt: 50_000,
    nextRoundAt: 60_000,
    roundInProgress: null,
    runnerRestarts: 0,
    tasklets: 1,
    problems: [],
    taskletStatus: [tasklet()],
    ...fields,
  };
}
