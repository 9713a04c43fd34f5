/**
 * How a task ended, in the history's words: the outcome, the exit code or signal,
 * and an error text a person can act on. Pure: the agent passes what it observed
 * (the exit, if it saw one) and why it stopped the task, if it did.
 */
import type { TaskOutcome } from './protocol';

/** Why the agent itself ended a task, when it did. */
export type StopReason = { readonly kind: 'killed'; readonly error: string } | { readonly kind: 'timeout' };

/** What the agent knows about the end of a task's process. */
export type EndObservation =
  /** Our own child: its exit code or signal. */
  | { readonly kind: 'exit'; readonly code: number | null; readonly signal: string | null }
  /** An adopted process (not our child): we saw it go, not how. */
  | { readonly kind: 'adopted-gone' }
  /** Found gone at agent start: it ended while no agent watched. */
  | { readonly kind: 'ended-while-down' };

export interface TaskEnd {
  readonly outcome: TaskOutcome;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly error: string | null;
}

export const TIMEOUT_ERROR = 'timeout';

/** Describes the end of a task for its history row. */
export function describeTaskEnd(observed: EndObservation, stopReason: StopReason | null): TaskEnd {
  const exitCode = observed.kind === 'exit' ? observed.code : null;
  const signal = observed.kind === 'exit' ? observed.signal : null;
  if (stopReason?.kind === 'timeout') return { outcome: 'timeout', exitCode, signal, error: TIMEOUT_ERROR };
  if (stopReason?.kind === 'killed') return { outcome: 'killed', exitCode, signal, error: stopReason.error };
  switch (observed.kind) {
    case 'adopted-gone':
      return { outcome: 'unknown', exitCode, signal, error: 'exit status unknown: the task was adopted after an agent restart' };
    case 'ended-while-down':
      return {
        outcome: 'unknown',
        exitCode,
        signal,
        error: 'exit status unknown: the process ended while the agent was down (the end time is its last sign of activity)',
      };
    case 'exit':
      if (observed.signal !== null) return { outcome: 'signaled', exitCode, signal, error: `terminated by ${observed.signal}` };
      if (observed.code === 0) return { outcome: 'exited', exitCode, signal, error: null };
      return { outcome: 'exited', exitCode, signal, error: `exited with code ${String(observed.code)}` };
    default: {
      const unreachable: never = observed;
      return unreachable;
    }
  }
}
