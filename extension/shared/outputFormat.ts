/**
 * The text of every output channel (a daemon's, a task's): each captured line
 * prefixed with its run (`[web:0] …`, `[7] …`), stderr lines marked
 * (`[web:0 stderr] …`), and notes (history start, live start, state changes)
 * on lines of their own (`── web:0 running, pid 1234 ──`).
 * syntaxes/daemonOutput.tmLanguage.json colors the same shapes (stderr as
 * errors, notes as info); keep the two in step. Pure; unit-tested.
 */
import type { OutputLine } from '../../agent/protocol';

/** The language id of output channels (package.json `languages`, the grammar above). */
export const OUTPUT_LANGUAGE = 'taskwarden-daemon-output';

/** One captured line as a channel shows it. */
export function formatOutputLine(line: OutputLine): string {
  return line.stream === 'stderr' ? `[${line.run} stderr] ${line.text}` : `[${line.run}] ${line.text}`;
}

/** A note of the channel itself (history start, live start, a state change, a disconnection). */
export function formatNote(text: string): string {
  return `── ${text} ──`;
}

/**
 * The history header: recent lines come per run and stream (stdout, then
 * stderr), not interleaved in time, since the log files carry no timestamps.
 */
export function historyHeader(title: string, lines: number, per: string | null): string {
  return formatNote(`${title}: last ${lines} lines${per === null ? '' : ` per ${per}`}, stdout then stderr`);
}
