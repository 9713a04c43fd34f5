/** Sleeping and polling with a deadline: the benchmark never waits on a fixed sleep for a state. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined/false, and
 * resolves with that; rejects with a TimeoutError naming `what` after `timeoutMs`.
 */
export async function pollUntil<T>(
  probe: () => T | undefined | false,
  options: { intervalMs: number; timeoutMs: number; what: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new TimeoutError(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    }
    await sleep(options.intervalMs);
  }
}

/** Nanoseconds on CLOCK_MONOTONIC, the clock the C fixtures stamp with. */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds between two CLOCK_MONOTONIC readings. */
export function msBetween(from: bigint, to: bigint): number {
  return Number(to - from) / 1e6;
}
