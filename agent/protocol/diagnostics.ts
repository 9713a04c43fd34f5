/**
 * A problem in a config file, as the loader reports it and every client shows
 * it (the CLI's `check`, the Problems panel, the agent's config state).
 */

export type Severity = 'error' | 'warning';

/** A problem located in a file; lines and columns are 1-based. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly message: string;
  /** A misspelt name and the one it likely meant (the editor offers the replacement as a quick fix). */
  readonly didYouMean?: { readonly word: string; readonly suggestion: string };
}

/** `FILE:LINE:COL: error|warning: message`, the format `taskwarden check` prints. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}: ${diagnostic.message}`;
}
