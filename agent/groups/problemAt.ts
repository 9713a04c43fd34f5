/**
 * A group's problem at a file's line (a tasklet that does not load, a params
 * file that does not parse), as the loader's diagnostics are. On its own so
 * that the runner bundle, which reports tasklet problems, does not pull in the
 * params parsers (yaml) it never uses.
 */
import type { Diagnostic } from '../protocol/diagnostics';

export function problemAt(file: string, line: number, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { file, line, column: 1, endLine: line, endColumn: 1, severity, message };
}
