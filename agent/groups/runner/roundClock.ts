/**
 * When a group's rounds run: the first at once, then `interval` after the start
 * of the previous one; a round that overruns delays the next (it starts when
 * the overrun one ends), never overlaps it. A "run now" runs after the round in
 * progress, and the schedule goes on from it. Pure, with the time given.
 */

export interface RoundTimes {
  /** Start of the previous round, null before the first. */
  readonly lastStart: number | null;
  /** End of the previous round, null while it runs or before the first. */
  readonly lastEnd: number | null;
}

/** When the next round is due (ms), given the previous one; null while a round runs. */
export function nextRoundAt(times: RoundTimes, intervalMs: number, notBefore = 0): number | null {
  if (times.lastStart === null) return notBefore;
  if (times.lastEnd === null) return null;
  return Math.max(times.lastStart + intervalMs, times.lastEnd, notBefore);
}

/** How long to wait from `now` until the next round (0: now), or null while a round runs. */
export function delayUntilNextRound(times: RoundTimes, intervalMs: number, now: number, notBefore = 0): number | null {
  const due = nextRoundAt(times, intervalMs, notBefore);
  return due === null ? null : Math.max(0, due - now);
}
