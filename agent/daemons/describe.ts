/**
 * Short human texts for daemon state, shared by hovers, lenses and the CLI:
 * how a process ended, and how long it has run.
 */
import type { DaemonExit } from '../protocol/daemons';

/** "exit 0", "SIGKILL", "exit 1 (time_limit of 5 s reached)", "could not start: ENOENT: …". */
export function describeExit(exit: DaemonExit): string {
  const how = exit.signal ? exit.signal : exit.code !== null ? `exit ${exit.code}` : null;
  if (how && exit.reason) return `${how} (${exit.reason})`;
  return how ?? exit.reason ?? 'ended (status unknown)';
}
