/**
 * Which config and roles files an agent follows. Both can be switched while it
 * runs (`taskwarden -f FILE reload`), so the parts read them through the
 * agent's context, never from a copy taken at start.
 */
import * as path from 'node:path';

export interface ConfigFiles {
  /** Absolute. */
  readonly configFile: string;
  /** A roles file given with `-r` (absolute), overriding `settings.roles_file`. */
  readonly rolesFile: string | undefined;
}

/** The roles file in use: `-r`, else `settings.roles_file` (relative to the workspace), else none. */
export function rolesFileInUse(
  workspace: string,
  explicit: string | undefined,
  config: Readonly<Record<string, unknown>> | null,
): string | null {
  if (explicit !== undefined) return path.resolve(workspace, explicit);
  const settings = config?.['settings'];
  const configured =
    typeof settings === 'object' && settings !== null && !Array.isArray(settings)
      ? (settings as Record<string, unknown>)['roles_file']
      : undefined;
  return typeof configured === 'string' ? path.resolve(workspace, configured) : null;
}
