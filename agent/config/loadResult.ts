/**
 * What a load of taskwarden.yaml gives (the one Result): the config with its
 * warnings, or a refusal with its diagnostics. Apart from the loader so that
 * the CLI's `check` reads it without loading the loader's bundle.
 */
import { failed, type Failure, type Result } from '../result';
import { counted } from '../protocol/counts';
import type { Diagnostic } from './diagnostic';

/** One section's value and the files (absolute) it was read from besides taskwarden.yaml. */
export interface LoadedSection {
  readonly value: unknown;
  readonly inputs: readonly string[];
}

export interface LoadedConfig {
  readonly file: string;
  /** The text that was checked; parts that need it (line numbers) use this, never a second read. */
  readonly text: string;
  /** The config as plain data (YAML anchors and merges resolved). */
  readonly data: Readonly<Record<string, unknown>>;
  /** Each section's value by section name (agent/core/part.ts `appliedConfigFor` hands it to its part). */
  readonly sections: ReadonlyMap<string, LoadedSection>;
  /** The roles file in use (absolute): `-r`, else `settings.roles_file`; null for none. */
  readonly rolesFile: string | null;
}

/** A config that loaded, with its warnings. */
export interface AcceptedConfig {
  readonly config: LoadedConfig;
  readonly diagnostics: readonly Diagnostic[];
}

/** Why the loader refused a text: YAML errors, no content, not a mapping, or problems in its sections. */
export type LoadRejection = 'syntax' | 'empty' | 'not-a-mapping' | 'invalid';

/** A config that was refused: its diagnostics (at least one error), and their count as the message ("2 errors"). */
export interface RejectedConfig<Reason extends string = LoadRejection> extends Failure<Reason> {
  readonly diagnostics: readonly Diagnostic[];
}

export type LoadResult = Result<AcceptedConfig, RejectedConfig>;

export function rejected<Reason extends string>(
  reason: Reason,
  diagnostics: readonly Diagnostic[],
): { readonly ok: false; readonly error: RejectedConfig<Reason> } {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  return failed({ reason, message: counted(errors, 'error'), diagnostics });
}

/** The problems a load found, whether it was accepted (warnings) or not. */
export function diagnosticsOf(result: Result<AcceptedConfig, RejectedConfig<string>>): readonly Diagnostic[] {
  return result.ok ? result.value.diagnostics : result.error.diagnostics;
}
