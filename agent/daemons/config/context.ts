/**
 * The context of one task instance: the names `{name}` and conditional values
 * see, and (apart from a few names) the child's environment.
 *
 * Built in taskforce's order (`task._context_build`), later layers overriding:
 *  1. the agent's environment;
 *  2. built-ins: Task_name, Task_instance, Task_host, Task_fqdn, Task_ppid, and
 *     (Taskwarden) Task_role_<name> for each active role;
 *  3. Task_user, Task_group, Task_pidfile, Task_cwd from the task's settings;
 *  4. defines: global `defines`, global `role_defines` of active roles, task
 *     `defines`, task `role_defines`;
 * then, each only where the name is still missing:
 *  5. task `role_defaults`, task `defaults`, global `role_defaults`, global `defaults`.
 * So: task role_defines > task defines > global role_defines > global defines >
 * Task_* > environment > task role_defaults > task defaults > global role_defaults
 * > global defaults. Role maps apply only with a non-empty roles file, in the
 * order the config lists them (taskforce calls a clash "indeterminate").
 *
 * Entries keep their templates: config values are expanded where used (see
 * substitute.ts), environment values are taken literally (taskforce formats them
 * too, which mangles inherited values containing braces).
 */
import type { PropertyPath } from '../../config/diagnostic';
import { expandScalar, scalarText } from './conditional';
import { activeRoles, roleContextValues, type RolesFile } from './roles';
import { isRecord } from './types';

/** One name of the context. */
export interface ContextEntry {
  /** null: defined without a value (present for conditionals, unset for single-value fields). */
  readonly value: string | null;
  /** Config values are templates, expanded when used; environment and built-in values are data. */
  readonly substitute: boolean;
  readonly source: 'environment' | 'builtin' | 'config';
  /** Where a config value was written, e.g. ['tasks', 'httpd', 'role_defines', 'frontend', 'conf']. */
  readonly path?: PropertyPath;
}

/** A resolved context, in insertion order. */
export type Context = ReadonlyMap<string, ContextEntry>;

/** What the host contributes: read by the caller, passed in (the resolver does no I/O). */
export interface HostFacts {
  readonly roles: RolesFile | null;
  readonly environment: Readonly<Record<string, string>>;
  readonly host: string;
  /** Defaults to `host`. */
  readonly fqdn?: string;
  /** The agent's pid, exported as Task_ppid (left out of fingerprints: it changes on every agent start). */
  readonly agentPid?: number;
}

/** Everything one instance's context depends on. */
export interface TaskContextInput extends HostFacts {
  readonly config: Readonly<Record<string, unknown>>;
  readonly taskName: string;
  readonly task: Readonly<Record<string, unknown>>;
  readonly instance: number;
}

/** Task settings that taskforce publishes in the context. */
export const TASK_SETTING_NAMES = { user: 'Task_user', group: 'Task_group', pidfile: 'Task_pidfile', cwd: 'Task_cwd' } as const;

/** Built-in names and what they mean (hover text). */
export const BUILTIN_NAMES: Readonly<Record<string, string>> = {
  Task_name: 'The task name (its key under `tasks`).',
  Task_instance: 'The instance number, 0 up to (not including) `count`.',
  Task_host: 'The host name of the machine running the agent.',
  Task_fqdn: 'The fully qualified host name.',
  Task_ppid: 'The process id of the Taskwarden agent.',
  Task_pidfile: 'The task `pidfile`, if set.',
  Task_cwd: 'The task `cwd`, if set.',
  Task_user: 'The task `user`, if set.',
  Task_group: 'The task `group`, if set.',
  Task_role_: '`Task_role_<name>`: set for each active role; the value after `=` in the roles file, else empty.',
};

type MutableContext = Map<string, ContextEntry>;

function applyMap(target: MutableContext, map: unknown, path: PropertyPath, onlyIfMissing: boolean): void {
  if (!isRecord(map)) return;
  for (const [name, value] of Object.entries(map)) {
    if (onlyIfMissing && target.has(name)) continue;
    // Lists and maps are not context values; the checks report them (checks.ts).
    if (value !== null && typeof value === 'object') continue;
    const text = value === null || value === undefined ? null : scalarText(value as string | number | boolean);
    target.set(name, { value: text, substitute: true, source: 'config', path: [...path, name] });
  }
}

function applyRoleMaps(
  target: MutableContext,
  maps: unknown,
  path: PropertyPath,
  roles: ReadonlySet<string>,
  onlyIfMissing: boolean,
): void {
  if (!isRecord(maps) || roles.size === 0) return;
  for (const [role, map] of Object.entries(maps)) {
    if (roles.has(role)) applyMap(target, map, [...path, role], onlyIfMissing);
  }
}

function layered(input: TaskContextInput, settings: ReadonlyMap<string, ContextEntry>): MutableContext {
  const context: MutableContext = new Map();
  for (const [name, value] of Object.entries(input.environment)) {
    context.set(name, { value, substitute: false, source: 'environment' });
  }
  const builtins: Record<string, string> = {
    Task_name: input.taskName,
    Task_instance: String(input.instance),
    Task_host: input.host,
    Task_fqdn: input.fqdn ?? input.host,
    ...(input.agentPid === undefined ? {} : { Task_ppid: String(input.agentPid) }),
    ...roleContextValues(input.roles),
  };
  for (const [name, value] of Object.entries(builtins)) context.set(name, { value, substitute: false, source: 'builtin' });
  for (const [name, entry] of settings) context.set(name, entry);

  const roles = activeRoles(input.roles);
  const taskPath = ['tasks', input.taskName];
  applyMap(context, input.config['defines'], ['defines'], false);
  applyRoleMaps(context, input.config['role_defines'], ['role_defines'], roles, false);
  applyMap(context, input.task['defines'], [...taskPath, 'defines'], false);
  applyRoleMaps(context, input.task['role_defines'], [...taskPath, 'role_defines'], roles, false);
  applyRoleMaps(context, input.task['role_defaults'], [...taskPath, 'role_defaults'], roles, true);
  applyMap(context, input.task['defaults'], [...taskPath, 'defaults'], true);
  applyRoleMaps(context, input.config['role_defaults'], ['role_defaults'], roles, true);
  applyMap(context, input.config['defaults'], ['defaults'], true);
  return context;
}

/**
 * The context of one task instance. Conditional values in user/group/pidfile/cwd
 * are decided against the context without those four names (taskforce decides
 * them against the environment and built-ins only, before defines are applied;
 * deciding them with defines known is what a reader of the config expects).
 * Problems in those values are reported by the field checks, not here.
 */
export function buildTaskContext(input: TaskContextInput): Context {
  const probe = layered(input, new Map());
  const has = (name: string): boolean => probe.has(name);
  const settings = new Map<string, ContextEntry>();
  for (const [key, name] of Object.entries(TASK_SETTING_NAMES)) {
    const path = ['tasks', input.taskName, key];
    const { item } = expandScalar(input.task[key], has, path);
    if (item) settings.set(name, { value: scalarText(item.value), substitute: true, source: 'config', path: item.path });
  }
  return layered(input, settings);
}
