/**
 * Semantic checks beyond the schema: one per part (`PartModule.config`,
 * handed to the loader by agent/workspaceConfig.ts), plus the loader's own
 * (unbuiltSections.ts). They run on every config that is a mapping, whether or
 * not it passed the schema (the loader drops what repeats a schema error), so
 * each must accept any value in any place. Each reports problems by property
 * path.
 */
import type { PathDiagnostic } from './diagnostic';

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
