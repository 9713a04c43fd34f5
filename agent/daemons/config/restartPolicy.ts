/**
 * Restart decisions for one `wait` instance: backoff after quick exits and a
 * crash-loop state that stops restarting until a user resets it. A pure state
 * machine: the runtime feeds it "started at t" and "exited at t" (times in ms
 * from any clock) and gets a decision back; nothing here reads the time.
 *
 * Rules (defaults and their reasons in spec.ts, DEFAULT_RESTART_POLICY):
 * - an exit after a run of at least `resetAfterMs` is healthy: the backoff and the
 *   crash-loop count start over, and the restart is immediate;
 * - an exit sooner is quick, whatever its code or signal (a daemon is not meant to
 *   exit), and so is a start that failed (the program is missing, not executable):
 *   the first quick exit restarts at once, the n-th in a row waits
 *   initialDelay × factor^(n-2), capped at maxDelay;
 * - `crashLoop.count` quick exits within `crashLoop.windowMs` enter the crash-loop
 *   state: no more restarts until `resetRestartState`.
 * Stops the runtime asked for (user stop, reconfiguration, time_limit) are not
 * exits in this sense: do not feed them.
 *
 * taskforce has only a flat rule: an instance is not re-executed within 5 s of its
 * previous start, forever.
 */
import type { RestartPolicy } from './spec';

/** How a process ended, or why it never started. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all ("ENOENT: command not found: x"): a failed start. */
  readonly startError?: string | undefined;
}

/** The memory of one instance. */
export interface RestartState {
  readonly startedAt: number | null;
  /** Quick exits in a row since the last healthy run. */
  readonly consecutiveQuickExits: number;
  /** Times of the quick exits (failed starts included) still inside the crash-loop window. */
  readonly recentQuickExits: readonly number[];
  /** Times of the failed starts among them. */
  readonly recentFailedStarts: readonly number[];
  readonly crashLooped: boolean;
  readonly lastExit: ExitInfo | null;
}

/** What to do after an exit. */
export type RestartDecision =
  | { readonly kind: 'restart'; readonly restartAfterMs: number; readonly quickExits: number }
  | { readonly kind: 'crashLoop'; readonly quickExits: number; readonly windowMs: number; readonly message: string };

/** The state of an instance that never ran. */
export const INITIAL_RESTART_STATE: RestartState = {
  startedAt: null,
  consecutiveQuickExits: 0,
  recentQuickExits: [],
  recentFailedStarts: [],
  crashLooped: false,
  lastExit: null,
};

/** Record a start. */
export function recordStart(state: RestartState, at: number): RestartState {
  return { ...state, startedAt: at };
}

/** The backoff before the restart after the n-th quick exit in a row (n ≥ 1). */
export function backoffDelay(policy: RestartPolicy, quickExitsInARow: number): number {
  if (quickExitsInARow <= 1) return 0;
  return Math.min(policy.initialDelayMs * policy.factor ** (quickExitsInARow - 2), policy.maxDelayMs);
}

function describeExit(exit: ExitInfo): string {
  if (exit.startError !== undefined) return `could not start: ${exit.startError}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  return exit.code === null ? 'ended, status unknown' : `exited with code ${exit.code}`;
}

/** "5 quick exits", "5 failed starts", or both kinds. */
function describeFailures(total: number, failedStarts: number): string {
  if (failedStarts === 0) return `${total} quick exits`;
  if (failedStarts === total) return `${total} failed starts`;
  return `${total} quick exits and failed starts`;
}

/** Record an exit and decide. An exit with no recorded start counts as quick. */
export function recordExit(
  state: RestartState,
  policy: RestartPolicy,
  at: number,
  exit: ExitInfo,
): { state: RestartState; decision: RestartDecision } {
  const ranMs = state.startedAt === null ? 0 : at - state.startedAt;
  if (ranMs >= policy.resetAfterMs) {
    return {
      state: {
        startedAt: null,
        consecutiveQuickExits: 0,
        recentQuickExits: [],
        recentFailedStarts: [],
        crashLooped: false,
        lastExit: exit,
      },
      decision: { kind: 'restart', restartAfterMs: 0, quickExits: 0 },
    };
  }
  const consecutiveQuickExits = state.consecutiveQuickExits + 1;
  const windowMs = policy.crashLoop?.windowMs ?? 0;
  const inWindow = (time: number): boolean => at - time < windowMs;
  const recentQuickExits = policy.crashLoop ? [...state.recentQuickExits.filter(inWindow), at] : [];
  const recentFailedStarts = policy.crashLoop
    ? [...state.recentFailedStarts.filter(inWindow), ...(exit.startError !== undefined ? [at] : [])]
    : [];
  const next: RestartState = {
    startedAt: null,
    consecutiveQuickExits,
    recentQuickExits,
    recentFailedStarts,
    crashLooped: false,
    lastExit: exit,
  };
  if (policy.crashLoop && recentQuickExits.length >= policy.crashLoop.count) {
    const failures = describeFailures(recentQuickExits.length, recentFailedStarts.length);
    const message = `crash loop: ${failures} within ${windowMs / 1000} s (last ${describeExit(exit)}); restarting stopped until reset`;
    return {
      state: { ...next, crashLooped: true },
      decision: { kind: 'crashLoop', quickExits: recentQuickExits.length, windowMs, message },
    };
  }
  return {
    state: next,
    decision: { kind: 'restart', restartAfterMs: backoffDelay(policy, consecutiveQuickExits), quickExits: consecutiveQuickExits },
  };
}

/** A user's reset: forget every failure (the crash-loop state included). */
export function resetRestartState(): RestartState {
  return INITIAL_RESTART_STATE;
}

/**
 * The same state machine with an injected clock, for a runtime that prefers an
 * object per instance: `started()`, `exited(exit)`, `reset()`.
 */
export class RestartTracker {
  private current: RestartState = INITIAL_RESTART_STATE;

  constructor(
    private policy: RestartPolicy,
    private readonly now: () => number,
  ) {}

  get state(): RestartState {
    return this.current;
  }

  /** A reload may change the policy; the history is kept. */
  setPolicy(policy: RestartPolicy): void {
    this.policy = policy;
  }

  started(): void {
    this.current = recordStart(this.current, this.now());
  }

  exited(exit: ExitInfo): RestartDecision {
    const { state, decision } = recordExit(this.current, this.policy, this.now(), exit);
    this.current = state;
    return decision;
  }

  reset(): void {
    this.current = resetRestartState();
  }
}
