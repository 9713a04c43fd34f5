/**
 * Polling with a deadline: the one way e2e tests wait (never fixed sleeps).
 */
import { setTimeout as delay } from 'node:timers/promises';

/**
 * How long one UI step (a view to show, a command to take effect) may take. Generous because CI
 * machines have 2 cores and are often busy; a passing step costs only its real duration.
 */
export const UI_TIMEOUT_MS = 30_000;

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 15 000 ms). */
  timeoutMs?: number;
  /** Time between two tries (default 200 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message ("the Problems panel to list 2 rows"). */
  description?: string;
}

/**
 * Calls `probe` until it returns a value other than `undefined`, `null` or `false`, and resolves
 * with that value. A probe that throws counts as "not yet"; on timeout the last error (or the last
 * value) is part of the message.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) {
        return value as Exclude<T, undefined | null | false>;
      }
      last = value;
    } catch (error: unknown) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.description ?? 'a condition'} (last: ${detail})`);
    }
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}
