/**
 * How a duration the protocol carries (milliseconds) reads for a person: the
 * largest unit and the next one, "3d 4h", "5m 2s", "12s"; a next unit that is
 * zero is left out ("2h", not "2h 0m" nor "2h 5s"). The one wording of
 * durations: the CLI, the agent's code lenses and hovers, and the extension's
 * views all call it.
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

/**
 * The milliseconds of a duration as a person writes it ("500ms", "30s", "5m",
 * "1h30m", "1d", or a plain number of seconds), or null when it is not one.
 * A job's `every:` and `taskwarden stats --since` read durations with it.
 */
export function parseDuration(value: string): number | null {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let ms = 0;
  PIECE.lastIndex = 0;
  let end = 0;
  for (let match = PIECE.exec(text); match !== null; match = PIECE.exec(text)) {
    ms += Number(match[1]) * UNIT_MS[match[2]!]!;
    end = PIECE.lastIndex;
    while (text[PIECE.lastIndex] === ' ') PIECE.lastIndex += 1;
  }
  return end === 0 || end !== text.length ? null : ms;
}
