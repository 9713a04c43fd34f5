/**
 * Semantic checks beyond the schema, one per part. They run on every config
 * that is a mapping, whether or not it passed the schema (the loader drops what
 * repeats a schema error), so each must accept any value in any place. Each
 * reports problems by property path.
 */
import { daemonsConfigCheck } from '../daemons/config/configCheck';
import type { PathDiagnostic } from './diagnostic';
import { unbuiltSectionsCheck } from './unbuiltSections';

/** What a check may know besides the config text; I/O is injected by the caller. */
export interface CheckContext {
  /** Absolute workspace folder; relative paths in the config resolve against it. */
  readonly workspace: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly host: string;
  /** A roles file given on the command line (`-r FILE`), overriding `settings.roles_file`. */
  readonly rolesFile?: string | undefined;
  /** Reads a file as text; null when it does not exist. */
  readonly readFile: (absolutePath: string) => string | null;
}

export interface ConfigCheck {
  readonly name: string;
  check(config: Record<string, unknown>, context: CheckContext): PathDiagnostic[];
}

/** Parts add their check here; the sections of parts not built yet get a warning (see unbuiltSections.ts). */
export const CONFIG_CHECKS: ConfigCheck[] = [daemonsConfigCheck, unbuiltSectionsCheck];
