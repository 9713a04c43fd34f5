/**
 * Tasks messages (taskwatcher's reserved, heartbeat-watched tasks): reserve an id,
 * launch a command under it, list, read feedback and history, kill, and the deltas
 * the agent pushes on the `tasks` topic. Times are milliseconds since the epoch on
 * the agent's clock; durations are milliseconds.
 */
import { RequestType } from 'vscode-jsonrpc';

/** Parsed feedback: key → last value (see agent/tasks/feedbackParser.ts for the grammar). */
export type TaskFeedbackValues = Record<string, string>;

/** A live task's state: reserved, or running and how recently it gave a sign of life. */
export type TaskState = 'RESERVED' | 'RUNNING' | 'SILENT' | 'STALLED';

/** A reservation or a running task. */
export interface TaskInfo {
  readonly id: number;
  readonly state: TaskState;
  readonly name: string | null;
  /** Reserved with `--unique`: no other reservation or task may take this name meanwhile. */
  readonly unique: boolean;
  readonly info1: string | null;
  readonly info2: string | null;
  readonly info3: string | null;
  readonly reservedAt: number;
  /** When an unlaunched reservation expires; null once launched. */
  readonly expiresAt: number | null;
  /** The command as launched (argv, no shell); null while reserved. */
  readonly argv: readonly string[] | null;
  readonly pid: number | null;
  readonly startedAt: number | null;
  readonly timeoutMs: number | null;
  /** `<feedpath>/feedback_<id>.log`, or null for a task without feedback. */
  readonly feedbackFile: string | null;
  /** When the feedback file last changed (touched or written); null before the first change. */
  readonly lastUpdateAt: number | null;
  /** The parsed feedback so far; null for a task without feedback. */
  readonly feedback: TaskFeedbackValues | null;
  /** When the task will be killed if nothing changes; null without a timeout. */
  readonly deadlineAt: number | null;
  /** The task's captured stdout and stderr (files under `.taskwarden/logs/tasks/`). */
  readonly stdoutFile: string | null;
  readonly stderrFile: string | null;
  /** CPU % of one core and resident bytes of its process tree at the last sample, only while the agent samples (see resources.ts). */
  readonly cpuPercent?: number | null;
  readonly memoryBytes?: number | null;
}

/**
 * How a finished task ended: `exited` by itself (see exitCode), `signaled` by a signal
 * it did not get from us, `killed` on request (kill, killall, agent stop), `timeout`
 * by the agent at its timeout, `unknown` when it ended unobserved (agent restart).
 */
export type TaskOutcome = 'exited' | 'signaled' | 'killed' | 'timeout' | 'unknown';

/** A finished task (a row of the history). */
export interface TaskHistoryEntry {
  readonly id: number;
  readonly name: string | null;
  readonly info1: string | null;
  readonly info2: string | null;
  readonly info3: string | null;
  readonly argv: readonly string[];
  readonly pid: number | null;
  readonly outcome: TaskOutcome;
  /** The exit code, or null when it was ended by a signal or is unknown. */
  readonly exitCode: number | null;
  /** The terminating signal (e.g. "SIGTERM"), or null. */
  readonly signal: string | null;
  /** Why it failed, for a person; null for a clean exit 0. */
  readonly error: string | null;
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  /** The final feedback; null for a task without feedback. */
  readonly feedback: TaskFeedbackValues | null;
  readonly stdoutFile: string | null;
  readonly stderrFile: string | null;
}

export interface ReserveTaskParams {
  readonly name?: string;
  /** Refuse (ErrorCodes.Conflict) when a task of this name is reserved or running. Needs a name. */
  readonly unique?: boolean;
}

export interface ReserveTaskResult {
  readonly id: number;
  readonly name: string | null;
  readonly unique: boolean;
  readonly expiresAt: number;
}

/** CLI/extension → agent: reserve a task id to launch within `watcher.reservation_ttl` seconds. */
export namespace ReserveTaskRequest {
  export const method = 'taskwarden/tasks/reserve' as const;
  export const type = new RequestType<ReserveTaskParams, ReserveTaskResult, void>(method);
}

export interface LaunchTaskParams {
  /** The command, as argv (no shell). `{feedback}` in an element becomes the feedback file path. */
  readonly argv: readonly string[];
  /** A reserved id; without it an id is reserved on the spot (not allowed with `feedpath`). */
  readonly taskId?: number;
  /** Default: the reservation's name, else the command's base name. */
  readonly name?: string;
  readonly info1?: string;
  readonly info2?: string;
  readonly info3?: string;
  /** Absolute folder of the feedback file `feedback_<id>.log`. */
  readonly feedpath?: string;
  /** Timeout in ms (heartbeat timeout with feedback, total run time without); default `watcher.default_timeout`. */
  readonly timeoutMs?: number;
  /** Keep the feedback file when the task ends (it is removed by default). */
  readonly keepFeedback?: boolean;
  /** Absolute working folder; default the workspace. */
  readonly cwd?: string;
  /** The whole environment of the child; default the agent's. */
  readonly env?: Record<string, string>;
}

export interface LaunchTaskResult {
  readonly id: number;
  readonly pid: number;
  readonly name: string;
  readonly startedAt: number;
  readonly feedbackFile: string | null;
  readonly stdoutFile: string;
  readonly stderrFile: string;
}

/**
 * CLI/extension → agent: run a command as a task; resolves once it has spawned.
 * Fails with NotFound/Conflict (id not reserved), InvalidParams (bad feedpath…) or
 * SpawnFailed (command not found…), leaving nothing behind.
 */
export namespace LaunchTaskRequest {
  export const method = 'taskwarden/tasks/launch' as const;
  export const type = new RequestType<LaunchTaskParams, LaunchTaskResult, void>(method);
}

export interface ListTasksResult {
  /** The agent's clock when the list was taken, for durations and "seconds since update". */
  readonly now: number;
  /** Reservations and running tasks, by id. */
  readonly tasks: readonly TaskInfo[];
}

/** CLI/extension → agent: the reservations and running tasks (a view's first load). */
export namespace ListTasksRequest {
  export const method = 'taskwarden/tasks/list' as const;
  export const type = new RequestType<Record<string, never>, ListTasksResult, void>(method);
}

export interface TaskFeedbackResult {
  readonly id: number;
  /** Where it came from: a running task's live feedback, or a finished task's final one. */
  readonly source: 'running' | 'history';
  /** Null when the task has no feedback file. */
  readonly feedback: TaskFeedbackValues | null;
  readonly lastUpdateAt: number | null;
}

/** CLI/extension → agent: the parsed feedback of one task, running or finished (NotFound otherwise). */
export namespace TaskFeedbackRequest {
  export const method = 'taskwarden/tasks/feedback' as const;
  export const type = new RequestType<{ readonly id: number }, TaskFeedbackResult, void>(method);
}

export interface TaskHistoryParams {
  /** Most recent first; default all. */
  readonly limit?: number;
  /** Rows to skip (paging). */
  readonly offset?: number;
  /** Only tasks of this name. */
  readonly name?: string;
}

export interface TaskHistoryResult {
  /** How many rows match (for paging). */
  readonly total: number;
  /** Most recent end first. */
  readonly entries: readonly TaskHistoryEntry[];
}

/** CLI/extension → agent: finished tasks, most recent first, a page at a time. */
export namespace TaskHistoryRequest {
  export const method = 'taskwarden/tasks/history' as const;
  export const type = new RequestType<TaskHistoryParams, TaskHistoryResult, void>(method);
}

/** CLI/extension → agent: delete every history row (and the finished tasks' output files). */
export namespace ClearTaskHistoryRequest {
  export const method = 'taskwarden/tasks/clear' as const;
  export const type = new RequestType<Record<string, never>, { readonly removed: number }, void>(method);
}

export interface KillTaskResult {
  readonly id: number;
  /** A reservation was released, or a running task was killed (and recorded as killed). */
  readonly was: 'reserved' | 'running';
}

/** CLI/extension → agent: release a reservation or kill a running task's process group; resolves once recorded. */
export namespace KillTaskRequest {
  export const method = 'taskwarden/tasks/kill' as const;
  export const type = new RequestType<{ readonly id: number }, KillTaskResult, void>(method);
}

export interface KillAllTasksResult {
  readonly killed: readonly number[];
  readonly released: readonly number[];
}

/** CLI/extension → agent: kill every running task and release every reservation of this name. */
export namespace KillAllTasksRequest {
  export const method = 'taskwarden/tasks/killAll' as const;
  export const type = new RequestType<{ readonly name: string }, KillAllTasksResult, void>(method);
}

export interface UpdateTasksResult {
  readonly running: number;
  readonly reserved: number;
  /** Reservations that expired now. */
  readonly expired: number;
}

/**
 * CLI → agent (taskwatcher's `--update`): expire overdue reservations and re-check
 * every feedback file now. The agent does this by itself on timers; this only forces it.
 */
export namespace UpdateTasksRequest {
  export const method = 'taskwarden/tasks/update' as const;
  export const type = new RequestType<Record<string, never>, UpdateTasksResult, void>(method);
}

/**
 * CLI → agent: empty the task tables (history, reservations) and restart ids at 1.
 * Refused (Conflict) while tasks run: kill them first.
 */
export namespace InitializeTasksRequest {
  export const method = 'taskwarden/tasks/initialize' as const;
  export const type = new RequestType<
    Record<string, never>,
    { readonly removedHistory: number; readonly releasedReservations: number },
    void
  >(method);
}

/**
 * The `delta` of a StateChanged notification on the `tasks` topic:
 * - `upsert`: a reservation or running task appeared or changed (state, feedback);
 *   replaces the client's copy by id.
 * - `removed`: a reservation went away without running (expired, released, launch failed).
 * - `ended`: a running task finished; it leaves the list and `entry` heads the history.
 * - `historyCleared`: the history was emptied (clear, initialize).
 */
export type TasksDelta =
  | { readonly kind: 'upsert'; readonly task: TaskInfo }
  | { readonly kind: 'removed'; readonly id: number; readonly reason: 'expired' | 'released' | 'launch-failed' }
  | { readonly kind: 'ended'; readonly id: number; readonly entry: TaskHistoryEntry }
  | { readonly kind: 'historyCleared' };

/**
 * The feedback's `progress` as a number from 0 to 100, or null when it is absent
 * or not a number. Feedback values are strings; `60`, ` 60 `, `60%` and `62.5`
 * are read, values beyond the range are clamped. The Tasks view and the stats read it.
 */
export function feedbackProgress(feedback: TaskFeedbackValues | null | undefined): number | null {
  const raw = feedback?.['progress'];
  if (raw === undefined) return null;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  if (match?.[1] === undefined) return null;
  return Math.min(100, Math.max(0, Number(match[1])));
}
