/**
 * Runs' time limits, cheap enough to set a thousand times a second: the
 * AbortSignal is made only when a handler asks for it, and the timers are
 * shared by the runs whose limits fall in the same 10 ms.
 */
import type { TimerClock } from './timerQueue';

/**
 * A run's time limit as an AbortSignal that is made only when the handler asks
 * for it: most runs (a no-op, a quick check) never read it, and an
 * AbortController per run is a large part of starting one. A signal asked for
 * after the limit passed comes already aborted.
 */
export class RunDeadline {
  private controller: AbortController | null = null;
  private expired = false;

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.expired) this.controller.abort();
    return this.controller.signal;
  }

  /** The limit is reached: the signal (now or when it is made) is aborted. */
  expire(): void {
    this.expired = true;
    this.controller?.abort();
  }
}

/**
 * The timers of many runs' deadlines: one timer per 10 ms slot, not one per
 * run (a thousand jobs due at once start within a few slots), as a timer per
 * run was most of the cost of starting one.
 */
export class Deadlines {
  private readonly slots = new Map<number, { readonly timer: unknown; readonly runs: Set<RunDeadline> }>();

  constructor(
    private readonly clock: TimerClock,
    private readonly slotMs = 10,
  ) {}

  /** Expires `deadline` at `at` (at most one slot late); returns the way to cancel it. */
  add(deadline: RunDeadline, at: number): () => void {
    const slotAt = Math.ceil(at / this.slotMs) * this.slotMs;
    let slot = this.slots.get(slotAt);
    if (slot === undefined) {
      const created = {
        timer: this.clock.setTimeout(() => this.expire(slotAt), Math.max(0, slotAt - this.clock.now())),
        runs: new Set<RunDeadline>(),
      };
      this.slots.set(slotAt, created);
      slot = created;
    }
    const runs = slot.runs;
    runs.add(deadline);
    return () => {
      if (!runs.delete(deadline) || runs.size > 0) return;
      this.clock.clearTimeout(slot.timer);
      this.slots.delete(slotAt);
    };
  }

  private expire(slotAt: number): void {
    const slot = this.slots.get(slotAt);
    this.slots.delete(slotAt);
    for (const deadline of slot?.runs ?? []) deadline.expire();
  }
}
