/**
 * Daemons messages: the state of every supervised daemon instance, control
 * (start/stop/restart/reset), and captured output (recent lines, then live
 * lines streamed to the requesting client only).
 *
 * A daemon is addressed by NAME: a task name (`web`, every instance) or
 * `task:instance` (`web:1`, one instance).
 */
import { RequestType } from 'vscode-jsonrpc';

/**
 * Where an instance is in its life:
 * - `waiting`: wanted, but a required task is not ready (or exited, for `once`) yet;
 * - `starting`: the process runs but is not ready (ready probe or start_delay pending);
 * - `running`: the process runs and is ready; dependents may start;
 * - `stopping`: the stop signal was sent, waiting for the group to exit;
 * - `backoff`: it exited too soon; it restarts at `nextStartAt`;
 * - `crashloop`: it failed too often too quickly; held until a user restarts or resets it;
 * - `exited`: a `once` or `event` run that finished (see `lastExit`);
 * - `stopped`: not running and not wanted (stopped by a user, or an `event` task not yet triggered);
 * - `suspended`: control `suspend`: held stopped, counts as started for dependents.
 */
export type DaemonState = 'waiting' | 'starting' | 'running' | 'stopping' | 'backoff' | 'crashloop' | 'exited' | 'stopped' | 'suspended';

/** All states, e.g. for icons and filters. */
export const DAEMON_STATES: readonly DaemonState[] = [
  'waiting',
  'starting',
  'running',
  'stopping',
  'backoff',
  'crashloop',
  'exited',
  'stopped',
  'suspended',
];

/** The controls of taskforce, minus `off` (an `off` task has no instances). */
export type DaemonControl = 'wait' | 'once' | 'event' | 'suspend';

/** How a process ended. `code` and `signal` are both null when unknown (an adopted process) or when it could not start. */
export interface DaemonExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** ms since epoch. */
  readonly at: number;
  /** Who ended it, or why it never ran: "stopped by user", "could not start: ENOENT: command not found: x"… */
  readonly reason: string | null;
}

/** One process instance of a daemon task. */
export interface DaemonInstanceInfo {
  /** `task:instance`, e.g. `web:0`; what the CLI and the start/stop requests accept. */
  readonly id: string;
  readonly task: string;
  readonly instance: number;
  readonly state: DaemonState;
  /** The live process, or null. */
  readonly pid: number | null;
  /** When the live process started (ms since epoch), or null. */
  readonly startedAt: number | null;
  /** Starts since the first one (after unexpected exits, asked for, or failed: a start that could not run the program counts). */
  readonly restarts: number;
  readonly lastExit: DaemonExit | null;
  /** Ready for dependents (probe passed and start_delay elapsed). */
  readonly ready: boolean;
  readonly crashLoop: boolean;
  /** When a `backoff` instance restarts (ms since epoch), else null. */
  readonly nextStartAt: number | null;
  /** Tasks a `waiting` instance waits for. */
  readonly waitingFor: readonly string[];
  /** A one-line explanation for a user ("not ready after 30 s: no line matched /listening/"), or null. */
  readonly message: string | null;
  /** The process was started by an earlier agent and adopted by this one. */
  readonly adopted: boolean;
  /**
   * CPU % of one core and resident bytes of the process tree at the last sample,
   * present only while the agent samples (a client watches resources, or a
   * limit needs it); cpuPercent is null at the run's first sample.
   */
  readonly cpuPercent?: number | null;
  readonly memoryBytes?: number | null;
}

/** One task of the `tasks` section that runs on this host, with its instances. */
export interface DaemonTaskInfo {
  readonly name: string;
  readonly control: DaemonControl;
  readonly count: number;
  readonly requires: readonly string[];
  /** The config file and the 1-based line of the task's key, for "Go to Config" (null when unknown). */
  readonly configFile: string;
  readonly configLine: number | null;
  readonly instances: readonly DaemonInstanceInfo[];
}

/** A configured task that does not run here, and why. */
export interface SkippedDaemonInfo {
  readonly name: string;
  readonly reason: 'off' | 'out_of_scope' | 'invalid';
  readonly configLine: number | null;
}

export interface ListDaemonsResult {
  readonly tasks: readonly DaemonTaskInfo[];
  readonly skipped: readonly SkippedDaemonInfo[];
  /** The roles file in use (null: none configured), and its roles (null: the file is missing, so no filtering). */
  readonly rolesFile: string | null;
  readonly roles: readonly string[] | null;
}

/** Any client → agent: every daemon task and instance, in start order. */
export namespace ListDaemonsRequest {
  export const method = 'taskwarden/daemons/list' as const;
  export const type = new RequestType<Record<string, never>, ListDaemonsResult, void>(method);
}

export interface DaemonTarget {
  /** `task` (all its instances) or `task:instance`. */
  readonly name?: string;
  /**
   * Several daemons at once, instead of `name`: each a task or `task:instance`,
   * or `all` (every daemon that runs here, but for suspended ones). Every name is
   * checked first: one unknown name fails the request and nothing is done.
   */
  readonly names?: readonly string[];
}

/** What a control request did: the instances it touched, as they are now. */
export interface DaemonControlResult {
  readonly instances: readonly DaemonInstanceInfo[];
}

/**
 * Any client → agent: start a daemon (also clears a user stop and a crash loop;
 * runs a `once`/`event` task again); resolves once the processes have spawned,
 * or once they wait for their requirements. A task whose control is `suspend`
 * is not started: ErrorCodes.Conflict, saying so (the same for a restart).
 */
export namespace StartDaemonRequest {
  export const method = 'taskwarden/daemons/start' as const;
  export const type = new RequestType<DaemonTarget, DaemonControlResult, void>(method);
}

/** Any client → agent: stop a daemon and hold it stopped (stop signal to the group, then SIGKILL); resolves once it is gone. */
export namespace StopDaemonRequest {
  export const method = 'taskwarden/daemons/stop' as const;
  export const type = new RequestType<DaemonTarget, DaemonControlResult, void>(method);
}

/** Any client → agent: restart a daemon (stop, then start at once, no backoff); resolves once the new processes have spawned. */
export namespace RestartDaemonRequest {
  export const method = 'taskwarden/daemons/restart' as const;
  export const type = new RequestType<DaemonTarget, DaemonControlResult, void>(method);
}

/** Any client → agent: clear a daemon's crash-loop state and backoff, and start it again if its control says so. */
export namespace ResetDaemonRequest {
  export const method = 'taskwarden/daemons/reset' as const;
  export const type = new RequestType<DaemonTarget, DaemonControlResult, void>(method);
}

/**
 * The `delta` of a StateChanged notification on the `daemons` topic:
 * - `snapshot`: the whole list, after a config or roles change (replace everything);
 * - `instances`: these instances changed (replace them by id).
 */
export type DaemonsDelta =
  ({ readonly kind: 'snapshot' } & ListDaemonsResult) | { readonly kind: 'instances'; readonly instances: readonly DaemonInstanceInfo[] };
