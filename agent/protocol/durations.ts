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
