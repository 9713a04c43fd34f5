/**
 * The text of a daemon output channel: each captured line prefixed with its
 * instance (`[web:0] …`), stderr lines marked (`[web:0 stderr] …`), and state
 * and stream notes on lines of their own (`── web:0 running, pid 1234 ──`),
 * the state worded as in the Daemons view (agent/protocol/daemonPresentation.ts).
 * syntaxes/daemonOutput.tmLanguage.json colors the same shapes (stderr as
 * errors, notes as info); keep the two in step. Pure; unit-tested.
 */
import { describeExit, instanceLook, type DaemonInstanceInfo, type DaemonLogLine } from '../../agent/protocol';

/** The language id of daemon output channels (package.json `languages`, the grammar above). */
export const DAEMON_OUTPUT_LANGUAGE = 'taskwarden-daemon-output';

/** One captured line as the channel shows it. */
export function formatLogLine(line: DaemonLogLine): string {
  return line.stream === 'stderr' ? `[${line.instance} stderr] ${line.text}` : `[${line.instance}] ${line.text}`;
}

/** A note of the channel itself (history start, live start, disconnection). */
export function formatNote(text: string): string {
  return `── ${text} ──`;
}

/** What a user needs to know about an instance's new state, as a note. */
export function formatStateLine(instance: DaemonInstanceInfo): string {
  const parts = [`${instance.id} ${instanceLook(instance).label}`];
  if (instance.pid !== null) parts.push(`pid ${instance.pid}`);
  if (instance.lastExit && instance.pid === null) parts.push(`last exit: ${describeExit(instance.lastExit)}`);
  if (instance.message) parts.push(instance.message);
  return formatNote(parts.join(', '));
}

/** The part of an instance that a state line reports; a new key means a new state line. */
export function stateKey(instance: DaemonInstanceInfo): string {
  return `${instance.state}/${instance.pid ?? '-'}`;
}

/**
 * The history header: recent lines come per instance and stream (stdout,
 * then stderr), not interleaved in time, since the log files carry no
 * timestamps.
 */
export function historyHeader(target: string, lines: number): string {
  return formatNote(`${target}: last ${lines} lines per instance, stdout then stderr`);
}
