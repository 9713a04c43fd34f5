/**
 * What a part declares of taskwarden.yaml: its config section (`PartModule.config`,
 * handed to the loader by agent/workspaceConfig.ts). The loader calls each
 * section's `read` once per load, on every config that is a mapping, whether or
 * not it passed the schema (the loader drops what repeats a schema error), so
 * each must accept any value in any place. A section reports problems by
 * property path and returns its typed value, which the part receives in
 * `applyConfig` when the config has no errors.
 */
import type { PathDiagnostic } from './diagnostic';

/** What a section may know besides the config text; I/O is injected by the caller. */
export interface CheckContext {
  /** Absolute workspace folder; relative paths in the config resolve against it. */
  readonly workspace: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly host: string;
  /** A roles file given on the command line (`-r FILE`), overriding `settings.roles_file`. */
  readonly rolesFile?: string | undefined;
  /** The agent's pid when the agent loads the config (`{Task_ppid}`); absent for `taskwarden check`. */
  readonly agentPid?: number | undefined;
  /** Reads a file as text; null when it does not exist. The loader reads each file once per load. */
  readonly readFile: (absolutePath: string) => string | null;
  /** What is at a path (following symlinks): a folder, another kind of file, or null for nothing; absent: not checked. */
  readonly pathKind?: ((absolutePath: string) => 'folder' | 'file' | null) | undefined;
}

/** A section's problems and the value the part runs from. */
export interface SectionReading<T> {
  readonly diagnostics: PathDiagnostic[];
  readonly value: T;
}

/** A part's section(s) of taskwarden.yaml, beyond the JSON Schema. */
export interface ConfigSection<T> {
  readonly name: string;
  /** The top-level keys the section reads (its part is built: no "not built" warning for them). */
  readonly keys: readonly string[];
  read(data: Record<string, unknown>, context: CheckContext): SectionReading<T>;
}
