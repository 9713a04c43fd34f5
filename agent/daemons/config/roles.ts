/**
 * Roles: the roles file and which tasks are in scope on this host.
 *
 * taskforce (`legion._load_roles`, `task.participant`): one role per line,
 * blank lines and `#` lines ignored. No roles file → role processing is off and
 * every task is in scope; an empty file → only tasks without `roles` are in
 * scope; otherwise a task is in scope when it has no `roles` or one of them is
 * active. A task with control `off` is never in scope.
 *
 * Taskwarden addition: a line may be `name=value`. The role is active and the
 * context gets `Task_role_<name>` = value (an empty string for a plain line), so
 * a config can use `{Task_role_db}` or a conditional `{"Task_role_db": [...]}`.
 */

/** The parsed roles file. */
export interface RolesFile {
  /** Active roles in file order, each once. */
  readonly roles: readonly string[];
  /** Values of `name=value` lines. */
  readonly values: Readonly<Record<string, string>>;
}

/** A line of the roles file that was skipped; lines are 1-based. */
export interface RolesFileProblem {
  readonly line: number;
  readonly message: string;
}

/** Parse roles file text. Bad lines are skipped and reported, never fatal. */
export function parseRolesFile(text: string): { readonly rolesFile: RolesFile; readonly problems: readonly RolesFileProblem[] } {
  const roles: string[] = [];
  const values: Record<string, string> = {};
  const problems: RolesFileProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const name = (equals >= 0 ? line.slice(0, equals) : line).trim();
    if (!name || /\s/.test(name)) {
      // taskforce would take the whole line as a role name; a name with spaces can never match a task's roles.
      problems.push({ line: index + 1, message: name ? `role name '${name}' contains white space` : 'a role line needs a name before =' });
      return;
    }
    if (!roles.includes(name)) roles.push(name);
    if (equals >= 0) values[name] = line.slice(equals + 1).trim();
    else delete values[name];
  });
  return { rolesFile: { roles, values }, problems };
}

/** Roles in effect for `role_defines` / `role_defaults`: none without a file or with an empty one (as taskforce). */
export function activeRoles(rolesFile: RolesFile | null): ReadonlySet<string> {
  return new Set(rolesFile?.roles ?? []);
}

/** Is a task with these roles in scope? (`participant()` minus the `off` check.) */
export function isInScope(taskRoles: readonly string[], rolesFile: RolesFile | null): boolean {
  if (rolesFile === null) return true;
  if (taskRoles.length === 0) return true;
  return taskRoles.some((role) => rolesFile.roles.includes(role));
}

/** The context names a roles file exports: `Task_role_<name>` for each active role. */
export function roleContextValues(rolesFile: RolesFile | null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const role of rolesFile?.roles ?? []) values[`Task_role_${role}`] = rolesFile?.values[role] ?? '';
  return values;
}

/** How scope is described in messages: "roles file: frontend, backend", "an empty roles file". */
export function describeRoles(rolesFile: RolesFile | null): string {
  if (rolesFile === null) return 'no roles file';
  if (rolesFile.roles.length === 0) return 'an empty roles file';
  return `active roles: ${rolesFile.roles.join(', ')}`;
}
