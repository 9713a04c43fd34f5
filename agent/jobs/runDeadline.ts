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
