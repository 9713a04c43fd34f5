/**
 * How a duration the protocol carries (milliseconds) reads for a person: the
 * largest unit and the next one, "3d 4h", "5m 2s", "12s"; a next unit that is
 * zero is left out ("2h", not "2h 0m" nor "2h 5s"). The one wording of
 * durations: the CLI, the agent's code lenses and hovers, and the extension's
 * views all call it. And the one reading of a duration a person writes
 * ("30s", "5m", "1h30m", "500ms", "1d"): a job's `every`, `logs --since`.
 */

const UNITS: readonly (readonly [seconds: number, unit: string])[] = [
  [86_400, 'd'],
  [3600, 'h'],
  [60, 'm'],
  [1, 's'],
];

/** "0s", "42s", "3m 5s", "2h", "1d 4h"; a negative duration (clock skew) reads as "0s". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const index = UNITS.findIndex(([size]) => seconds >= size);
  if (index === -1) return '0s';
  const [size, unit] = UNITS[index]!;
  const first = `${Math.floor(seconds / size)}${unit}`;
  const next = UNITS[index + 1];
  if (!next) return first;
  const count = Math.floor((seconds % size) / next[0]);
  return count > 0 ? `${first} ${count}${next[1]}` : first;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PIECE = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;

/** The milliseconds of "1h30m", "30s", "500ms", "1d" (pieces in any order, spaces allowed); null for anything else. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  let ms = 0;
  let end = 0;
  PIECE.lastIndex = 0;
  for (let match = PIECE.exec(trimmed); match !== null; match = PIECE.exec(trimmed)) {
    ms += Number(match[1]) * UNIT_MS[match[2]!]!;
    end = PIECE.lastIndex;
    while (trimmed[PIECE.lastIndex] === ' ') PIECE.lastIndex += 1;
  }
  return end > 0 && end === trimmed.length && Number.isFinite(ms) ? ms : null;
}
