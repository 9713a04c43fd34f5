/**
 * The text of an output terminal ("Show Output in Terminal"): the same lines
 * and notes as an output channel (outputFormat.ts), written for a terminal
 * that renders the process's own ANSI colors. The run prefix is dim, stderr's
 * red, notes dim; every line ends with an attribute reset (a color the process
 * left open does not bleed into the next prefix) and `\r\n` (a pseudoterminal
 * is a raw terminal: a bare `\n` only moves down). Pure; unit-tested.
 */
import type { OutputLine } from '../../agent/protocol';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';

/** Text for a raw terminal: each line break (also inside) becomes `\r\n`. */
export function terminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** One captured line as the terminal shows it, with its line break. */
export function terminalOutputLine(line: OutputLine): string {
  const prefix = line.stream === 'stderr' ? `${RED}[${line.run} stderr]${RESET}` : `${DIM}[${line.run}]${RESET}`;
  return terminalText(`${prefix} ${line.text}${RESET}\n`);
}

/** A note of Taskwarden's own (already worded by formatNote), dim, with its line break. */
export function terminalNote(note: string): string {
  return terminalText(`${DIM}${note}${RESET}\n`);
}
