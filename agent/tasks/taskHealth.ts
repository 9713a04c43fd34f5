/**
 * A running task's health from its timestamps, pure (the clock is an input).
 *
 * With a feedback file and a timeout T, the "timer" is the time since the file was
 * last updated (or since the start, before the first update or when the file is
 * older than the task):
 *
 *   timer <  25 % of T   RUNNING
 *   timer <  50 % of T   SILENT
 *   timer < 100 % of T   STALLED
 *   timer >= 100 % of T  TIMEOUT (the agent kills the task)
 *
 * So exactly 25 % is SILENT, exactly 50 % STALLED, exactly 100 % TIMEOUT. Without a
 * feedback file the task is RUNNING while it lives and the timeout bounds its total
 * run time. Without a timeout it is always RUNNING.
 *
 * Besides the state, `nextChangeAt` says when the state will change if nothing else
 * happens, so the agent arms one timer instead of polling. If a timer fires a little
 * early, calling `taskHealth` again gives the same state and the same `nextChangeAt`:
 * just arm again. A feedback update changes the inputs; recompute then.
 */

/** The state of a running task, as shown in lists (taskwatcher's names). */
export type TaskHealthState = 'RUNNING' | 'SILENT' | 'STALLED' | 'TIMEOUT';

/** Timestamps are milliseconds on one clock (e.g. `Date.now()`); durations are milliseconds. */
export interface TaskHealthInput {
  /** The current instant. */
  readonly now: number;
  /** When the task's process started. */
  readonly startedAt: number;
  /**
   * When the feedback file was last updated (touched or appended), or null before
   * the first update. Prefer the agent's own observation time to the file's mtime: a
   * mtime in the future (clock skew) counts as fresh until that instant.
   */
  readonly lastUpdateAt: number | null;
  /** The timeout; null, undefined, 0, a negative or a non-finite number mean none. */
  readonly timeoutMs?: number | null;
  /** Whether the task was launched with a feedback file (`--feedpath`). */
  readonly hasFeedback: boolean;
}

export interface TaskHealth {
  readonly state: TaskHealthState;
  /** The instant the state will next change if nothing else happens; null if never. */
  readonly nextChangeAt: number | null;
  /** The instant the task times out; null without a timeout. */
  readonly deadlineAt: number | null;
  /** The running timer: time since the last update (with feedback) or since the start. */
  readonly timerMs: number;
}

/** The fractions of the timeout at which a task with feedback turns SILENT, STALLED, TIMEOUT. */
export const HEALTH_THRESHOLDS: readonly {
  readonly fraction: number;
  readonly state: TaskHealthState;
}[] = [
  { fraction: 0.25, state: 'SILENT' },
  { fraction: 0.5, state: 'STALLED' },
  { fraction: 1, state: 'TIMEOUT' },
];

/** Computes the task's state and when it will change. */
export function taskHealth(input: TaskHealthInput): TaskHealth {
  const { now, startedAt, hasFeedback } = input;
  const timeoutMs = normalizeTimeout(input.timeoutMs);
  // Before the first update, and when the file predates the task, count from the start.
  const since = hasFeedback ? Math.max(startedAt, input.lastUpdateAt ?? startedAt) : startedAt;
  const timerMs = now - since;
  if (timeoutMs === null) return { state: 'RUNNING', nextChangeAt: null, deadlineAt: null, timerMs };

  const thresholds = hasFeedback ? HEALTH_THRESHOLDS : HEALTH_THRESHOLDS.slice(-1);
  let state: TaskHealthState = 'RUNNING';
  let nextChangeAt: number | null = null;
  for (const threshold of thresholds) {
    // Fractions are powers of two, so `timeoutMs * fraction` is exact.
    const at = since + timeoutMs * threshold.fraction;
    if (now >= at) {
      state = threshold.state;
    } else {
      nextChangeAt = at;
      break;
    }
  }
  return { state, nextChangeAt, deadlineAt: since + timeoutMs, timerMs };
}

function normalizeTimeout(timeoutMs: number | null | undefined): number | null {
  if (timeoutMs === null || timeoutMs === undefined) return null;
  return Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : null;
}
