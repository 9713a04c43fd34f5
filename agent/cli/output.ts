/**
 * Small helpers for what the CLI prints: JSON, aligned tables, durations, and
 * errors on stderr with the exit code they imply.
 */

/** Exit codes shared by every command. */
import { failed, type Failure } from '../result';

export const ExitCode = {
  Ok: 0,
  /** The command ran and found a problem (a config error, a failed request). */
  Failure: 1,
  /** The command line itself is wrong (unknown command or flag, bad value). */
  Usage: 2,
  /** Nothing to talk to: no agent runs and --no-start was given. */
  NotRunning: 3,
} as const;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Rows as left-aligned columns under a header, one string per line. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Prints rows as left-aligned columns under a header. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  process.stdout.write(`${formatTable(header, rows).join('\n')}\n`);
}

export function fail(message: string, code: number = ExitCode.Failure): number {
  process.stderr.write(`taskwarden: ${message}\n`);
  return code;
}

/** A failure already told to the user (on stderr), with the exit code the command ends with. */
export interface Reported extends Failure<'reported'> {
  readonly exitCode: number;
}

/** Tells the user `message` and gives it back as a failed Result. */
export function reported(message: string, code: number = ExitCode.Failure): { readonly ok: false; readonly error: Reported } {
  return failed({ reason: 'reported', message, exitCode: fail(message, code) });
}
