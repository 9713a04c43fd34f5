/**
 * Jobs messages (Canopsis' scheduled jobs): list the jobs with their next run
 * and last state, run one now, the next fire times, pause and resume, the check
 * events a page at a time, and the deltas the agent pushes on the `jobs` topic.
 * Times in a job summary are milliseconds since the epoch on the agent's clock;
 * a check event keeps Canopsis' seconds.
 */
import { RequestType } from 'vscode-jsonrpc';

/** A handler's verdict, as Nagios and Canopsis word it: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export type CheckState = 0 | 1 | 2 | 3;

export const CHECK_STATE_NAMES: Readonly<Record<CheckState, string>> = { 0: 'OK', 1: 'WARNING', 2: 'CRITICAL', 3: 'UNKNOWN' };

/** One performance datum of a plugin's output (`label=value[uom];warn;crit;min;max`). */
export interface PerfDatum {
  readonly label: string;
  /** Null when the plugin wrote `U` (the value could not be determined). */
  readonly value: number | null;
  readonly uom: string;
  /** Thresholds are ranges (`10`, `10:`, `~:10`, `@10:20`), kept as written. */
  readonly warn: string | null;
  readonly crit: string | null;
  readonly min: number | null;
  readonly max: number | null;
}

/**
 * The check event every run stores, in Canopsis' shape: `timestamp` (end of the
 * run) and `execution_time` in seconds; `resource` is the job's name.
 */
export interface CheckEvent {
  readonly timestamp: number;
  readonly connector: 'taskwarden';
  /** The handler that ran the job (`command`, `http`, `queue`, a user handler's name). */
  readonly connector_name: string;
  readonly event_type: 'check';
  readonly source_type: 'resource';
  readonly component: 'job';
  readonly resource: string;
  readonly state: CheckState;
  /** Always 1 (hard): a job's run is its own verdict, with no soft retries. */
  readonly state_type: 1;
  readonly output: string;
  readonly execution_time: number;
  readonly perf_data?: readonly PerfDatum[];
}

/** A job's schedule as the config wrote it. */
export type JobSchedule =
  | { readonly kind: 'rrule'; readonly rrule: string; readonly start: number | null; readonly tz: string | null }
  | { readonly kind: 'cron'; readonly cron: string; readonly tz: string | null }
  | { readonly kind: 'every'; readonly everyMs: number }
  | { readonly kind: 'none' };

/** One job with its state, for `job list` and the Jobs view. */
export interface JobSummary {
  readonly name: string;
  /** The handler (`task:` in the config). */
  readonly handler: string;
  readonly schedule: JobSchedule;
  /** The schedule in words ("every 30 s", "cron 0 6 * * 1-5 (UTC)", "every day at 06:00"). */
  readonly scheduleText: string;
  readonly enabled: boolean;
  readonly paused: boolean;
  /** The next fire time (ms), or null when none comes (paused, disabled, a rule that ended). */
  readonly nextRun: number | null;
  /** Running now: since when (ms). */
  readonly runningSince: number | null;
  /** The last run's event, or null before the first. */
  readonly last: CheckEvent | null;
  /** Occurrences skipped because the previous run still ran. */
  readonly skipped: number;
  /** Whether the job is still in the config (a removed one keeps its events until retention drops them). */
  readonly configured: boolean;
}

export interface ListJobsResult {
  readonly now: number;
  readonly jobs: readonly JobSummary[];
}

/** CLI/extension → agent: every configured job with its next run and last state. */
export namespace ListJobsRequest {
  export const method = 'taskwarden/jobs/list' as const;
  export const type = new RequestType<Record<string, never>, ListJobsResult, void>(method);
}

/** CLI/extension → agent: run a job now, ignoring its schedule; resolves with its event (Conflict while it runs). */
export namespace RunJobRequest {
  export const method = 'taskwarden/jobs/run' as const;
  export const type = new RequestType<{ readonly name: string }, CheckEvent, void>(method);
}

export interface NextJobRunsParams {
  /** One job; default every job. */
  readonly name?: string;
  /** How many fire times per job; default 5, at most 100. */
  readonly count?: number;
}

export interface NextJobRunsResult {
  readonly now: number;
  readonly jobs: readonly { readonly name: string; readonly times: readonly number[]; readonly scheduleText: string }[];
}

/** CLI/extension → agent: the next fire times of one job or of all (from now, ignoring pause). */
export namespace NextJobRunsRequest {
  export const method = 'taskwarden/jobs/next' as const;
  export const type = new RequestType<NextJobRunsParams, NextJobRunsResult, void>(method);
}

/** CLI/extension → agent: no occurrence of this job fires until resumed (a run in progress goes on). */
export namespace PauseJobRequest {
  export const method = 'taskwarden/jobs/pause' as const;
  export const type = new RequestType<{ readonly name: string }, JobSummary, void>(method);
}

/** CLI/extension → agent: the job fires again from its next occurrence (missed ones are not caught up). */
export namespace ResumeJobRequest {
  export const method = 'taskwarden/jobs/resume' as const;
  export const type = new RequestType<{ readonly name: string }, JobSummary, void>(method);
}

export interface JobEventsParams {
  /** One job; default all. */
  readonly name?: string;
  /** Default 50, at most 1000. */
  readonly limit?: number;
  /** Paging: only events stored before this cursor (a `nextCursor` from a previous page). */
  readonly before?: string;
}

export interface JobEventsResult {
  /** Most recent first. */
  readonly events: readonly CheckEvent[];
  /** Pass as `before` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** CLI/extension → agent: stored check events, most recent first, a page at a time. */
export namespace JobEventsRequest {
  export const method = 'taskwarden/jobs/events' as const;
  export const type = new RequestType<JobEventsParams, JobEventsResult, void>(method);
}

/**
 * The `delta` of a StateChanged notification on the `jobs` topic:
 * - `jobs`: these jobs' summaries changed (config, pause, next run, start of a run); replace by name.
 * - `jobsRemoved`: these jobs left the config.
 * - `events`: runs ended with these check events, oldest first (their jobs' summaries follow in a `jobs` delta).
 */
export type JobsDelta =
  | { readonly kind: 'jobs'; readonly jobs: readonly JobSummary[] }
  | { readonly kind: 'jobsRemoved'; readonly names: readonly string[] }
  | { readonly kind: 'events'; readonly events: readonly CheckEvent[] };
