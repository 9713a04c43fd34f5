/**
 * Process groups messages (PyLabs' process handler): one runner process per
 * group folder runs a tasklet loop every `interval` seconds. Clients list groups,
 * read their status, params and round history, start/stop them and run a round
 * now; the agent pushes deltas on the `groups` topic. The runner itself is a
 * client of the agent too (`taskwarden/groups/runner/*`): it reports its loaded
 * tasklets and each round, and receives its setup and control notifications.
 * Times are milliseconds since the epoch on the agent's clock.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { Diagnostic } from './diagnostics';
import type { PackedResults } from './packedRound';

/** A JSON value, as params hold them. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A group's params: a plain JSON object (from params.yaml or params.ini's `[main]`, then what tasklets set). */
export type GroupParams = { readonly [key: string]: JsonValue };

/** The language of a group's tasklets: one group is one language. */
export type TaskletLanguage = 'javascript' | 'python';

/**
 * - `running`: rounds are scheduled and the runner is up.
 * - `starting`: the runner was spawned and has not reported yet.
 * - `restarting`: the runner died (or was killed for a tasklet that never returned); it restarts after a backoff.
 * - `stopped`: `group stop` (or `enabled: false`): no more rounds.
 * - `broken`: it cannot run (no tasklet, a mixed-language folder, python3 missing); `problems` say why.
 */
export type GroupState = 'running' | 'starting' | 'restarting' | 'stopped' | 'broken';

/**
 * How one tasklet fared in one round:
 * `ok` (main returned), `error` (match or main threw or rejected), `timeout` (passed the time limit),
 * `not-matched` (match said no), `skipped` (an earlier tasklet set `params.break`), `running` (in progress).
 */
export type TaskletOutcome = 'ok' | 'error' | 'timeout' | 'not-matched' | 'skipped' | 'running';

/** A tasklet's failure: the error's text and its stack's first lines. */
export interface TaskletError {
  readonly message: string;
  readonly stack: readonly string[];
}

/** What the runner found in one tasklet file when it loaded it. */
export interface TaskletInfo {
  /** The file name inside the group folder (`10_check.ts`). */
  readonly name: string;
  /** Absolute path. */
  readonly file: string;
  /** Higher runs first; ties by file name. */
  readonly priority: number;
  /** Where the priority came from: the `priority` export, a leading `N_` in the file name, or the default 1. */
  readonly prioritySource: 'export' | 'file name' | 'default';
  readonly description: string | null;
  /** 1-based line of `main`'s definition, when the runner could find it. */
  readonly mainLine: number | null;
  readonly hasMatch: boolean;
}

/** One tasklet's result in one round. */
export interface TaskletResult {
  /** The file name inside the group folder. */
  readonly name: string;
  readonly outcome: TaskletOutcome;
  /** Whether `match` said yes; null when it was not asked (skipped, or match failed). */
  readonly matched: boolean | null;
  /** When `main` started; null when it did not run. */
  readonly startedAt: number | null;
  /** Time in `match` and `main` together. */
  readonly durationMs: number;
  readonly error: TaskletError | null;
}

/**
 * How a round ended: `done` (every tasklet had its turn), `break` (a tasklet set `params.break`),
 * `runner-killed` (a tasklet never returned; the runner was killed and restarted),
 * `runner-died` (the runner exited during the round).
 */
export type RoundEnd = 'done' | 'break' | 'runner-killed' | 'runner-died';

/** One round of a group, as history keeps it. */
export interface GroupRound {
  readonly group: string;
  /** 1, 2, 3… per group, across runner and agent restarts. */
  readonly round: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly endedBy: RoundEnd;
  /** In run order (priority, then file name). */
  readonly results: readonly TaskletResult[];
}

/** A tasklet as the view shows it: what was loaded, how it fared this round and last time it ran. */
export interface TaskletStatus extends TaskletInfo {
  /** This round (or the last one when none runs): its outcome, null before its first round. */
  readonly outcome: TaskletOutcome | null;
  /** Whether match said yes this round; null when not asked. */
  readonly matched: boolean | null;
  /** The last time `match` said yes (0: never). */
  readonly lastMatchAt: number;
  /** The last start of `main` (what `ctx.lastRun` gives; 0: never). */
  readonly lastRunAt: number;
  /** Duration of its last match+main, null before its first round. */
  readonly lastDurationMs: number | null;
  /** The error of its last failing run, kept until it runs without one. */
  readonly lastError: TaskletError | null;
}

/** One group, as `group list` and the view's group rows show it. */
export interface GroupSummary {
  readonly name: string;
  readonly state: GroupState;
  /** Absolute folder of its tasklets. */
  readonly folder: string;
  /** Absolute params file (params.yaml or params.ini), null when there is none. */
  readonly paramsFile: string | null;
  readonly language: TaskletLanguage | null;
  readonly intervalSeconds: number;
  readonly timeLimitSeconds: number;
  /** `groups.each.NAME.enabled`. */
  readonly enabled: boolean;
  /** The runner's pid, null when none runs. */
  readonly pid: number | null;
  /** When the group last started running rounds (uptime), null while stopped. */
  readonly startedAt: number | null;
  /** Rounds recorded for this group, ever. */
  readonly rounds: number;
  readonly lastRoundAt: number | null;
  /** When the next round is due, null when none is scheduled (stopped) or one runs now. */
  readonly nextRoundAt: number | null;
  /** The round in progress, null between rounds. */
  readonly roundInProgress: number | null;
  /** Runner restarts since the group started (deaths, kills for a tasklet that never returned). */
  readonly runnerRestarts: number;
  readonly tasklets: number;
  /** Problems of its tasklets and params file (file + line), and why it is broken. */
  readonly problems: readonly Diagnostic[];
}

/** One group with its tasklets in run order. */
export interface GroupStatus extends GroupSummary {
  readonly taskletStatus: readonly TaskletStatus[];
}

export interface ListGroupsResult {
  readonly now: number;
  /** The configured root (absolute) and the params root. */
  readonly root: string;
  readonly paramsRoot: string;
  readonly groups: readonly GroupSummary[];
}

/** CLI/extension → agent: every group under the groups root. */
export namespace ListGroupsRequest {
  export const method = 'taskwarden/groups/list' as const;
  export const type = new RequestType<Record<string, never>, ListGroupsResult, void>(method);
}

export interface GroupStatusResult {
  readonly now: number;
  /** The agent's start (for `taskwarden uptime` and the seed's getuptime). */
  readonly agentStartedAt: number;
  readonly groups: readonly GroupStatus[];
}

/** CLI/extension → agent: one group's status (NotFound for an unknown group), or all. */
export namespace GroupStatusRequest {
  export const method = 'taskwarden/groups/status' as const;
  export const type = new RequestType<{ readonly group?: string }, GroupStatusResult, void>(method);
}

export interface GroupControlResult {
  /** The groups whose state changed (already started or stopped ones are not listed). */
  readonly changed: readonly string[];
  readonly groups: readonly GroupSummary[];
}

/** CLI/extension → agent: start one group (or all): its first round runs at once. NotFound for an unknown group. */
export namespace StartGroupRequest {
  export const method = 'taskwarden/groups/start' as const;
  export const type = new RequestType<{ readonly group?: string }, GroupControlResult, void>(method);
}

/** CLI/extension → agent: stop one group (or all): no more rounds (a round in progress finishes); kept across agent restarts. */
export namespace StopGroupRequest {
  export const method = 'taskwarden/groups/stop' as const;
  export const type = new RequestType<{ readonly group?: string }, GroupControlResult, void>(method);
}

export interface RunRoundParams {
  readonly group: string;
  /** Resolve once the round ended (with its record) instead of once it was asked for. */
  readonly wait?: boolean;
}

export interface RunRoundResult {
  /** The round that will run (or ran, with `wait`). */
  readonly round: number;
  /** With `wait`: the round as recorded. */
  readonly record: GroupRound | null;
}

/**
 * CLI/extension → agent: run one round now (after the one in progress, if any), also in a stopped
 * group; the next scheduled round is `interval` after it. NotFound, or Conflict when no runner runs (broken).
 */
export namespace RunRoundRequest {
  export const method = 'taskwarden/groups/runRound' as const;
  export const type = new RequestType<RunRoundParams, RunRoundResult, void>(method);
}

export interface GroupParamsResult {
  readonly group: string;
  /** The live params: as of the last round's end, or a reload of the file since. */
  readonly params: GroupParams;
  /** When they last changed (a round's end or a reload). */
  readonly updatedAt: number | null;
  readonly paramsFile: string | null;
  /** Problems of the params file (a broken file keeps the last good params). */
  readonly problems: readonly Diagnostic[];
}

/** CLI/extension → agent: a group's live params (the seed's getparams). */
export namespace GroupParamsRequest {
  export const method = 'taskwarden/groups/params' as const;
  export const type = new RequestType<{ readonly group: string }, GroupParamsResult, void>(method);
}

export interface GroupHistoryParams {
  readonly group: string;
  /** Default 20; the store keeps `groups.history` rounds per group. */
  readonly limit?: number;
}

/** CLI/extension → agent: a group's last rounds, most recent first. */
export namespace GroupHistoryRequest {
  export const method = 'taskwarden/groups/history' as const;
  export const type = new RequestType<GroupHistoryParams, { readonly rounds: readonly GroupRound[] }, void>(method);
}

/**
 * The `delta` of a StateChanged notification on the `groups` topic:
 * - `groups`: these groups changed (state, round counts, next round, tasklets loaded, problems); replace by name.
 * - `removed`: these groups left (folder removed, or the `groups` section did).
 * - `round`: a round ended; `tasklets` is the group's tasklet status after it.
 * - `params`: a group's live params changed (a round's end, a reload of the file).
 */
export type GroupsDelta =
  | { readonly kind: 'groups'; readonly groups: readonly GroupSummary[] }
  | { readonly kind: 'removed'; readonly names: readonly string[] }
  | { readonly kind: 'round'; readonly round: GroupRound; readonly tasklets: readonly TaskletStatus[] }
  | { readonly kind: 'params'; readonly group: string; readonly params: GroupParams; readonly updatedAt: number };

// ---- The runner's side: a runner process is a client of the agent ----

/** What a runner needs to run its group (the reply to `hello`, and `runner/setup` after a config change). */
export interface RunnerSetup {
  readonly group: string;
  /** Absolute folder of the tasklets. */
  readonly folder: string;
  readonly intervalMs: number;
  readonly timeLimitMs: number;
  /** Whether rounds are scheduled (false after `group stop`). */
  readonly active: boolean;
  /** The number of the next round. */
  readonly nextRound: number;
  /** Start the first round no earlier than this (an agent-restarted runner keeps its own schedule). */
  readonly notBefore: number;
  /** Each tasklet's last start (`ctx.lastRun`), by file name. */
  readonly lastRuns: Readonly<Record<string, number>>;
  /**
   * How long the runner may hold the report of a round that tells nothing new (same outcomes as the
   * round before, no error, same tasklets and params) to send several in one message; 0 while a
   * client watches the groups: every round at once.
   */
  readonly holdMs: number;
}

export interface RunnerHelloParams {
  readonly group: string;
  readonly pid: number;
  /** Whether this runner already ran rounds (it reconnects after an agent restart) */
  readonly reconnect: boolean;
}

export interface RunnerHelloResult {
  readonly setup: RunnerSetup;
  /** The params to use: the last round's end (restarted runner) or the file's; null: keep the runner's own (reconnect). */
  readonly params: GroupParams | null;
  /** The last round the agent has stored: a reconnecting runner sends again the reports it keeps of later rounds. */
  readonly recordedRound: number;
}

/** Runner → agent, first request after the handshake (and after each reconnect): who it is; returns its setup and params. */
export namespace RunnerHelloRequest {
  export const method = 'taskwarden/groups/runner/hello' as const;
  export const type = new RequestType<RunnerHelloParams, RunnerHelloResult, void>(method);
}

export interface RunnerLoadedParams {
  readonly group: string;
  /** In run order. */
  readonly tasklets: readonly TaskletInfo[];
  /** Files skipped (no `main`, a bad `priority`, a load error), with file + line. */
  readonly problems: readonly Diagnostic[];
}

/** Runner → agent: it (re)loaded its tasklets (at start, and when a file in the folder changed). */
export namespace RunnerLoadedRequest {
  export const method = 'taskwarden/groups/runner/loaded' as const;
  export const type = new RequestType<RunnerLoadedParams, void, void>(method);
}

/**
 * Runner → agent, a notification (every round of every group sends one: no answer to write and
 * read): a round started (the agent answers the view's "running" and schedules nothing itself).
 */
export namespace RunnerRoundStartedNotification {
  export const method = 'taskwarden/groups/runner/roundStarted' as const;
  export const type = new NotificationType<{ readonly group: string; readonly round: number; readonly startedAt: number }>(method);
}

export interface RunnerRoundEndedParams {
  readonly group: string;
  readonly round: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly endedBy: 'done' | 'break';
  /**
   * The tasklets' names in run order, the positions of `results`: sent with the first report after
   * each hello and whenever they differ from the previous report's (a reload); absent, they are the same.
   */
  readonly names?: readonly string[];
  /** Each tasklet's result, packed (packedRound.ts). */
  readonly results: PackedResults;
  /**
   * The params at the round's end (`break` already removed): what a restarted runner gets back.
   * Sent with the first report after each hello, after the agent sent new params, and when they
   * differ from the previous report's; absent, they did not change.
   */
  readonly params?: GroupParams;
}

/**
 * Runner → agent, a notification like the start's: rounds ended (each with its tasklets' results and
 * the params), in order; one round, or the rounds it held (`RunnerSetup.holdMs`), or none when the
 * agent asked for what it holds (`RunnerReportNotification`).
 */
export namespace RunnerRoundsEndedNotification {
  export const method = 'taskwarden/groups/runner/roundsEnded' as const;
  export const type = new NotificationType<{ readonly group: string; readonly rounds: readonly RunnerRoundEndedParams[] }>(method);
}

export interface RunnerHungParams {
  readonly group: string;
  readonly round: number;
  /** The tasklet that did not return (file name), and when it started. */
  readonly name: string;
  readonly startedAt: number;
  /** The results of the round's tasklets before it. */
  readonly results: readonly TaskletResult[];
}

/** Runner (its watchdog thread) → agent: a synchronous tasklet did not return within its time limit; the runner kills itself next. */
export namespace RunnerHungRequest {
  export const method = 'taskwarden/groups/runner/hung' as const;
  export const type = new RequestType<RunnerHungParams, void, void>(method);
}

/** Agent → runner: the setup changed (config edit, `group start`/`stop`). */
export namespace RunnerSetupNotification {
  export const method = 'taskwarden/groups/runner/setup' as const;
  export const type = new NotificationType<RunnerSetup>(method);
}

/** Agent → runner: run one round now (after the one in progress). */
export namespace RunnerRunRoundNotification {
  export const method = 'taskwarden/groups/runner/runRound' as const;
  export const type = new NotificationType<{ readonly group: string }>(method);
}

/** Agent → runner: a client asks for the group's rounds: send the reports held now (a `roundsEnded`, perhaps of none). */
export namespace RunnerReportNotification {
  export const method = 'taskwarden/groups/runner/report' as const;
  export const type = new NotificationType<{ readonly group: string }>(method);
}

/** Agent → runner: the params file changed; replace the in-memory params (before the next round) and say so in the output. */
export namespace RunnerParamsNotification {
  export const method = 'taskwarden/groups/runner/params' as const;
  export const type = new NotificationType<{ readonly group: string; readonly params: GroupParams; readonly file: string }>(method);
}
