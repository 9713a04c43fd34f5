/**
 * The resolved form of a daemon: one `DaemonSpec` per process instance, with
 * every `{name}` substituted and every conditional value decided. This is the
 * contract between the pure config layer and the runtime that spawns processes.
 * Times are milliseconds here (the YAML says seconds).
 */
import { DEFAULT_ROTATION_POLICY } from '../../proc/logRotation';
import type { Control } from './types';

/** What an event does: run a named command, the built-in stop, or send a signal. */
export type EventAction =
  | { readonly kind: 'command'; readonly command: string }
  /** `command: stop` with no `commands.stop`: taskforce's built-in stop (signal, wait, SIGKILL). */
  | { readonly kind: 'stop' }
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals };

/** A resolved `events` entry. */
export type DaemonEvent =
  | { readonly type: 'file_change'; readonly paths: readonly string[]; readonly action: EventAction }
  /**
   * `self` watches the program file; `python` the Python program and the modules
   * it imports (the runtime finds them). `program` is argv[0] as written: when it
   * has no `/`, the runtime looks it up in the spec's PATH.
   */
  | { readonly type: 'self' | 'python'; readonly program: string; readonly action: EventAction }
  /** Used instead of the stop signal: `restart` when stopping to restart, `stop` otherwise. */
  | { readonly type: 'restart' | 'stop'; readonly action: EventAction };

/** A resolved `onexit` entry: when all instances have exited, (re)start a `once`/`event` task. */
export interface OnExitAction {
  readonly type: 'start';
  readonly task: string;
}

/**
 * A dependency and what "satisfied" means, decided by the required task's control:
 * `started` (wait: running, ready probe passed, start_delay elapsed), `exited`
 * (once: its run has finished), `nothing` (event and suspend tasks: taskforce
 * never holds dependents back for them).
 */
export interface Requirement {
  readonly task: string;
  readonly waitFor: 'started' | 'exited' | 'nothing';
}

/** Restart backoff and crash-loop limit (see restartPolicy.ts for the rules). */
export interface RestartPolicy {
  /** Delay before the second consecutive quick restart; the first is immediate. */
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** A run at least this long is healthy: backoff and crash-loop count start over. */
  readonly resetAfterMs: number;
  /** `count` quick exits within `windowMs` stop restarting until a user resets; null = never. */
  readonly crashLoop: { readonly count: number; readonly windowMs: number } | null;
}

/** Readiness probe: dependents wait for it (and for start_delay) before starting. */
export type ReadyCheck =
  /** A line of the daemon's output matches `pattern` (a JavaScript RegExp source, not substituted). */
  | { readonly kind: 'log'; readonly pattern: string; readonly timeoutMs: number }
  /** The command exits 0 (retried until the timeout). */
  | { readonly kind: 'exec'; readonly argv: readonly string[]; readonly timeoutMs: number }
  /** A TCP connection to host:port succeeds. */
  | { readonly kind: 'port'; readonly port: number; readonly host: string; readonly timeoutMs: number }
  /** A GET of `url` answers 2xx or 3xx. */
  | { readonly kind: 'http'; readonly url: string; readonly timeoutMs: number };

/** Output file rotation. */
export interface LogPolicy {
  readonly maxBytes: number;
  /** Rotated files kept besides the current one. */
  readonly keep: number;
}

/** Controls under which the runtime manages processes (`suspend` keeps a spec but runs nothing). */
export type ActiveControl = Exclude<Control, 'off'>;

/** One process instance of a task, resolved. */
export interface DaemonSpec {
  /** `name#instance`, stable across reloads; handy as a store key. */
  readonly id: string;
  readonly name: string;
  readonly instance: number;
  /** The task's `count` (instances are 0 … count-1). */
  readonly count: number;
  readonly control: ActiveControl;
  /** The start command, substituted; argv[0] is the program. */
  readonly argv: readonly string[];
  /** `procname`: the argv[0] the process sees (Node's `argv0`), or null. */
  readonly argv0: string | null;
  /** Every entry of `commands` (including `start`), substituted for this instance. */
  readonly commands: Readonly<Record<string, readonly string[]>>;
  readonly requires: readonly Requirement[];
  readonly startDelayMs: number;
  /** Stop the process this long after it started; null = no limit. */
  readonly timeLimitMs: number | null;
  readonly cwd: string | null;
  readonly user: string | null;
  readonly group: string | null;
  /** The child's complete environment (taskforce exports the whole context). */
  readonly env: Readonly<Record<string, string>>;
  /** `env_file` after substitution; its values are in `env` when the caller supplied the text. */
  readonly envFile: { readonly path: string; readonly loaded: boolean } | null;
  readonly events: readonly DaemonEvent[];
  readonly onexit: readonly OnExitAction[];
  readonly pidfile: string | null;
  /** The task's roles as resolved (empty = every role). */
  readonly roles: readonly string[];
  readonly restart: RestartPolicy;
  readonly stopSignal: NodeJS.Signals;
  readonly stopTimeoutMs: number;
  readonly ready: ReadyCheck | null;
  readonly logs: LogPolicy;
  readonly limits: ResourceLimits | null;
  /**
   * Hash of what the running process was made from (argv, argv0, cwd, user,
   * group, env, env_file): equal fingerprints never need a restart.
   */
  readonly fingerprint: string;
}

/** `limits`: over one of them the daemon is restarted (config/limits.ts, resourceLimits.ts). */
export interface ResourceLimits {
  /** Resident bytes of the process tree; null: no limit. */
  readonly memoryBytes: number | null;
  /** CPU of the tree, in % of one core, held for `forMs`; null: no limit. */
  readonly cpu: { readonly percent: number; readonly forMs: number } | null;
}

/** Why a task got no spec. */
export interface SkippedTask {
  readonly task: string;
  readonly reason: 'off' | 'out_of_scope' | 'invalid';
}

/**
 * taskforce's sigkill_escalation is 5 s: the time between the stop signal and SIGKILL.
 */
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;
/** The signal that stops a daemon unless `stop_signal` says otherwise. */
export const DEFAULT_STOP_SIGNAL: NodeJS.Signals = 'SIGTERM';

/**
 * Restart defaults. taskforce itself re-executes a dead `wait` process at once
 * unless it started less than 5 s ago (then it waits out the 5 s): a flat rate
 * limit, no backoff, no give-up. Ours:
 * - the first restart is immediate (restart latency matters; the target is < 10 ms);
 * - further quick exits wait 100 ms, doubling, capped at 30 s: 100 ms stops a hot
 *   loop from burning CPU and flooding logs while still riding out short hiccups
 *   (a port in TIME_WAIT, a dependency restarting); 30 s keeps recovery quick once
 *   the cause is fixed on a developer machine;
 * - a run of 10 s or more is healthy and resets everything (systemd's default
 *   start-limit interval is also 10 s);
 * - 5 quick exits within 60 s is a crash loop: the backoff alone reaches 5 exits in
 *   under 2 s, and the 60 s window also catches a daemon that dies after ~10 s of
 *   work each time (systemd uses a burst of 5 too).
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 100,
  factor: 2,
  maxDelayMs: 30_000,
  resetAfterMs: 10_000,
  crashLoop: { count: 5, windowMs: 60_000 },
};

/** A daemon that takes longer than this to become ready is reported as failing its probe. */
export const DEFAULT_READY_TIMEOUT_MS = 30_000;

/** 10 MiB per file and 3 rotated files: bounded disk use, enough history to debug a crash. */
export const DEFAULT_LOG_POLICY: LogPolicy = DEFAULT_ROTATION_POLICY;
