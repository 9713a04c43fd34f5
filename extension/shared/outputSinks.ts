/**
 * Where the output presenter (outputPresenter.ts) writes a followed run: an
 * output channel (plain text, colored by the output grammar) or a terminal
 * (a vscode.Pseudoterminal that renders the process's ANSI colors and makes
 * paths clickable). The presenter follows the same way for both; only the
 * writing differs.
 */
import * as vscode from 'vscode';
import type { OutputLine } from '../../agent/protocol';
import { OUTPUT_LANGUAGE, formatOutputLine } from './outputFormat';
import { terminalNote, terminalOutputLine } from './terminalFormat';

/** Where a followed output is shown. */
export type OutputPlace = 'channel' | 'terminal';

/** What the presenter writes to. */
export interface OutputSink extends vscode.Disposable {
  /** A captured line of the run. */
  output(line: OutputLine): void;
  /** A note of Taskwarden's own, worded by formatNote. */
  note(note: string): void;
  /** Brings it into view without taking the focus. */
  show(): void;
}

/** An output channel named `name`. */
export function channelSink(name: string): OutputSink {
  const channel = vscode.window.createOutputChannel(name, OUTPUT_LANGUAGE);
  return {
    output: (line) => channel.appendLine(formatOutputLine(line)),
    note: (note) => channel.appendLine(note),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}

/**
 * A terminal named `name`; `closed` is called when the user closes it (the
 * presenter then stops following). What is written before the terminal opens
 * is kept and written when it does.
 */
export function terminalSink(name: string, closed: () => void): OutputSink {
  const writes = new vscode.EventEmitter<string>();
  let pending: string[] | null = [];
  let disposed = false;
  const write = (text: string): void => {
    if (pending) pending.push(text);
    else writes.fire(text);
  };
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writes.event,
    open: () => {
      const early = pending ?? [];
      pending = null;
      if (early.length > 0) writes.fire(early.join(''));
    },
    close: () => {
      if (!disposed) closed();
    },
  };
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('output') });
  return {
    output: (line) => write(terminalOutputLine(line)),
    note: (note) => write(terminalNote(note)),
    show: () => terminal.show(true),
    dispose: () => {
      disposed = true;
      terminal.dispose();
      writes.dispose();
    },
  };
}
