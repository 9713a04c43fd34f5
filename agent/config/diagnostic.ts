/**
 * Diagnostics: what the config loader and every semantic check report.
 *
 * Semantic checks (daemons, jobs, queues…) work on the parsed plain object and
 * name the offending value by its property path; the loader turns a path into a
 * file position, so checks never deal with YAML nodes themselves.
 */
import type { Severity } from '../protocol/diagnostics';
import type { DidYouMean } from './suggest';

export { formatDiagnostic, type Diagnostic, type Severity } from '../protocol/diagnostics';

/** A path into the config object, e.g. ['tasks', 'web', 'requires', 0]. */
export type PropertyPath = readonly (string | number)[];

/** A problem found by a semantic check, located by property path. */
export interface PathDiagnostic {
  readonly path: PropertyPath;
  readonly severity: Severity;
  readonly message: string;
  /** Point at the key rather than the value (e.g. "unknown key"). */
  readonly atKey?: boolean;
  /** A misspelt name and the one it likely meant (agent/config/suggest.ts `didYouMeanOf`). */
  readonly didYouMean?: DidYouMean;
}

export function hasErrors(diagnostics: readonly { severity: Severity }[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
