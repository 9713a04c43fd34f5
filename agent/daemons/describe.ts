/**
 * Short human texts for daemon state, shared by hovers, lenses and the CLI:
 * how a process ended, and how long it has run.
 */
import type { DaemonExit } from '../protocol/daemons';

/** "exit 0", "SIGKILL", "exit 1 (time_limit of 5 s reached)", "spawn failed: …". */
export function describeExit(exit: DaemonExit): string {
  const how = exit.signal ? exit.signal : exit.code !== null ? `exit ${exit.code}` : null;
  if (how && exit.reason) return `${how} (${exit.reason})`;
  return how ?? exit.reason ?? 'ended (status unknown)';
}

/** "3d 4h", "5m 2s", "12s" for a duration in ms. */
export function formatUptime(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [size, unit] of [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ] as const) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
