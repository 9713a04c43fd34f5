/**
 * `every: 30s`: a fixed period, in the units a person writes ("500ms", "30s",
 * "5m", "1h30m", "1d", or a number of seconds). Occurrences are the multiples of
 * the period counted from `start` (default the Unix epoch), so `every: 1m`
 * fires on the minute and a restart never shifts it.
 */
import { failed, ok, type Failure, type Result } from '../../result';
import { parseDuration } from '../../protocol/durations';

/** The period (ms) of "1h30m", "30s", "500ms" or a number of seconds; at least 100 ms. */
export function parsePeriod(value: unknown): Result<number, Failure<'bad-period'>> {
  const bad = (why: string) => failed({ reason: 'bad-period' as const, message: `bad period ${JSON.stringify(value)}: ${why}` });
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') {
    const text = value.trim();
    const parsed = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
    if (parsed === null) return bad("write it like '30s', '5m', '1h30m', '500ms' or '1d'");
    ms = parsed;
  } else return bad("write it like '30s', '5m', '1h30m', '500ms' or '1d'");
  if (!Number.isFinite(ms) || ms < 100) return bad('the shortest period is 100ms');
  return ok(Math.round(ms));
}

/** The first multiple of `period` after `anchor` that is strictly after `at`. */
export function nextMultiple(at: number, period: number, anchor: number): number {
  if (at < anchor) return anchor;
  return anchor + (Math.floor((at - anchor) / period) + 1) * period;
}

/** "every 30 s", "every 1 h 30 m". */
export function periodText(period: number): string {
  if (period < 1000) return `every ${period} ms`;
  const parts: string[] = [];
  let rest = Math.round(period / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  return `every ${parts.join(' ')}`;
}
