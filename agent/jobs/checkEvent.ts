/**
 * The check event of one run, in Canopsis' shape (its task handler's event,
 * with our connector): times in seconds, `resource` the job's name,
 * `state_type` 1 (hard), `perf_data` only when the handler gave some.
 */
import type { CheckEvent, CheckState } from './protocol';
import type { HandlerOutcome } from './handlers/handler';

const STATES = new Set<unknown>([0, 1, 2, 3]);

/** A handler's answer checked: a state outside 0–3 or an output that is not text is UNKNOWN, saying why. */
export function checkedOutcome(value: unknown): HandlerOutcome {
  // Canopsis' handlers return a (state, output) tuple.
  if (Array.isArray(value) && value.length === 2) return checkedOutcome({ state: value[0] as unknown, output: value[1] as unknown });
  if (typeof value !== 'object' || value === null)
    return {
      state: 3,
      output: `bad return value from the handler: ${JSON.stringify(value) ?? String(value)} (expected { state: 0-3, output })`,
    };
  const { state, output, perfData } = value as { state?: unknown; output?: unknown; perfData?: unknown };
  if (!STATES.has(state))
    return { state: 3, output: `bad state from the handler: ${JSON.stringify(state) ?? 'none'} (expected 0, 1, 2 or 3)` };
  const text = typeof output === 'string' ? output : output === undefined || output === null ? '' : JSON.stringify(output);
  return {
    state: state as CheckState,
    output: text,
    ...(Array.isArray(perfData) ? { perfData: perfData as HandlerOutcome['perfData'] } : {}),
  };
}

export function checkEvent(job: string, handler: string, outcome: HandlerOutcome, startedAt: number, endedAt: number): CheckEvent {
  const event: CheckEvent = {
    timestamp: endedAt / 1000,
    connector: 'taskwarden',
    connector_name: handler,
    event_type: 'check',
    source_type: 'resource',
    component: 'job',
    resource: job,
    state: outcome.state,
    state_type: 1,
    output: outcome.output,
    execution_time: Math.max(0, endedAt - startedAt) / 1000,
  };
  return outcome.perfData && outcome.perfData.length > 0 ? { ...event, perf_data: outcome.perfData } : event;
}
