/**
 * The raw shape of the daemon sections of taskwarden.yaml, as the YAML parser
 * hands them over: taskforce's format (`tasks`, `settings`, `defines`,
 * `role_defines`, `defaults`, `role_defaults`) plus Taskwarden's additions.
 *
 * Everything here is "as written": values may still contain `{name}`
 * placeholders and conditional maps. The resolved, ready-to-run form is
 * `DaemonSpec` in `spec.ts`.
 */

/** A scalar as YAML gives it. */
export type RawScalar = string | number | boolean | null;

/**
 * A taskforce value: a scalar, a list, or a conditional map whose keys are
 * context names (`{"VERBOSE": "-v"}` contributes `-v` only when VERBOSE is in
 * the context). Lists and maps nest freely.
 */
export type RawValue = RawScalar | readonly RawValue[] | { readonly [name: string]: RawValue };

/** Context maps (`defines`, `defaults`): name → value, null meaning "defined, no value". */
export type RawContextMap = { readonly [name: string]: RawScalar };

/** `role_defines` / `role_defaults`: role → context map, applied when the role is active. */
export type RawRoleContextMaps = { readonly [role: string]: RawContextMap };

/** One entry of `events`. */
export interface RawEvent {
  readonly type?: RawValue;
  readonly path?: RawValue;
  readonly command?: RawValue;
  readonly signal?: RawValue;
}

/** One entry of `onexit`; taskforce only knows `{type: start, task: NAME}`. */
export interface RawOnExit {
  readonly type?: RawValue;
  readonly task?: RawValue;
}

/** Taskwarden addition: restart backoff and crash-loop limit, in seconds. */
export interface RawRestart {
  readonly initial_delay?: number;
  readonly factor?: number;
  readonly max_delay?: number;
  readonly reset_after?: number;
  /** `false` turns crash-loop detection off. */
  readonly crash_loop?: { readonly count?: number; readonly window?: number } | false;
}

/** Taskwarden addition: when is a started daemon ready for its dependents. Exactly one probe. */
export interface RawReady {
  readonly log?: string;
  readonly exec?: RawValue;
  readonly port?: number | string;
  readonly host?: string;
  readonly http?: string;
  /** Seconds. */
  readonly timeout?: number;
}

/** Taskwarden addition: output file rotation. */
export interface RawLogs {
  readonly max_bytes?: number;
  readonly keep?: number;
}

/** One task (daemon) definition under `tasks`. */
export interface RawTask {
  // taskforce keys
  readonly commands?: { readonly [name: string]: RawValue };
  readonly control?: RawValue;
  readonly count?: RawValue;
  readonly requires?: RawValue;
  readonly start_delay?: RawValue;
  readonly time_limit?: RawValue;
  readonly cwd?: RawValue;
  readonly user?: RawValue;
  readonly group?: RawValue;
  readonly procname?: RawValue;
  readonly pidfile?: RawValue;
  readonly roles?: RawValue;
  readonly defines?: RawContextMap;
  readonly defaults?: RawContextMap;
  readonly role_defines?: RawRoleContextMaps;
  readonly role_defaults?: RawRoleContextMaps;
  readonly events?: readonly RawEvent[];
  readonly onexit?: readonly RawOnExit[];
  // Taskwarden additions
  readonly restart?: RawRestart;
  readonly stop_signal?: string | number;
  readonly stop_timeout?: number;
  readonly env?: { readonly [name: string]: RawScalar };
  readonly env_file?: string;
  readonly ready?: RawReady;
  readonly logs?: RawLogs;
  readonly limits?: { readonly memory?: string | number; readonly cpu?: string };
}

/** `settings`. */
export interface RawSettings {
  /** taskforce's HTTP control service; accepted and ignored with a warning. */
  readonly http?: readonly unknown[];
  /** Path of the roles file (read by the runtime). */
  readonly roles_file?: string;
  /** Taskwarden addition: every role name the config may use (a typo guard). */
  readonly all_roles?: readonly string[];
}

/** The sections of taskwarden.yaml this part reads; other sections are ignored. */
export interface RawDaemonsConfig {
  readonly tasks?: { readonly [name: string]: RawTask };
  readonly settings?: RawSettings;
  readonly defines?: RawContextMap;
  readonly role_defines?: RawRoleContextMaps;
  readonly defaults?: RawContextMap;
  readonly role_defaults?: RawRoleContextMaps;
}

/** Keys taskforce itself defines for a task. */
export const TASKFORCE_TASK_KEYS = [
  'commands',
  'control',
  'count',
  'requires',
  'start_delay',
  'time_limit',
  'cwd',
  'user',
  'group',
  'procname',
  'pidfile',
  'roles',
  'defines',
  'defaults',
  'role_defines',
  'role_defaults',
  'events',
  'onexit',
] as const;

/** Keys Taskwarden adds to a task. */
export const TASKWARDEN_TASK_KEYS = ['restart', 'stop_signal', 'stop_timeout', 'env', 'env_file', 'ready', 'logs', 'limits'] as const;

/** Every key a task may have; anything else is an error. */
export const TASK_KEYS: readonly string[] = [...TASKFORCE_TASK_KEYS, ...TASKWARDEN_TASK_KEYS];

/** The controls of the README (`wait` is the default). */
export const CONTROLS = ['wait', 'once', 'event', 'suspend', 'off'] as const;
/** A task control as resolved (planned controls already mapped to `wait`). */
export type Control = (typeof CONTROLS)[number];

/**
 * Controls taskforce lists in `legion.all_controls` but never implemented:
 * its code runs them exactly like `wait`, so we accept them as `wait` with a warning.
 */
export const PLANNED_CONTROLS = ['nowait', 'adopt'] as const;

/** Event types of taskforce's `_event_register` and `stop()`. */
export const EVENT_TYPES = ['self', 'file_change', 'python', 'restart', 'stop'] as const;
/** An event type of `events`. */
export type EventType = (typeof EVENT_TYPES)[number];

/** A plain-object check that narrows `unknown` for the readers. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
