/**
 * Stats: the recent values the agent keeps per series (the last minutes, in
 * memory) for the dashboard and `taskwarden stats`. A client reads a snapshot
 * and, subscribed to the `stats` topic, gets the new points in batches (about
 * once a second, never one notification per point).
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';

/**
 * What a series measures; its `subject` says of what (a daemon instance `web:0`,
 * a job, a queue, a task id, a group, or `agent`).
 * - `cpu` (% of one core) and `memory` (bytes): resource use of a process tree.
 * - `daemonState`: the index of the daemon's state, at each change (its name: the series' `levels`).
 * - `restart`: the instance's start count, at each start after the first.
 * - `crashLoop`: 1 when the instance entered a crash loop, 0 when it left it.
 * - `checkState`: a job run's verdict (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, named by `levels`).
 * - `perf`: one perf_data label of a job (`label`), with its unit and thresholds.
 * - `queueDepth`: items waiting; `queueDone`: items finished since the agent started (a throughput is its slope).
 * - `taskProgress`: a running task's feedback `progress`, 0-100.
 * - `roundDuration`: a process group's round, in milliseconds.
 */
export const STATS_METRICS = [
  'cpu',
  'memory',
  'daemonState',
  'restart',
  'crashLoop',
  'checkState',
  'perf',
  'queueDepth',
  'queueDone',
  'taskProgress',
  'roundDuration',
] as const;
export type StatsMetric = (typeof STATS_METRICS)[number];

/** Names one series. */
export interface StatsSeriesKey {
  readonly metric: StatsMetric;
  readonly subject: string;
  /** A perf_data label; absent for the other metrics. */
  readonly label?: string | undefined;
}

/** What a series is besides its points: its unit and thresholds, and whether its subject is gone. */
export interface StatsSeriesDetails {
  /** A name for people when the subject is not one (a task id: `7 backup`). */
  readonly title?: string;
  /** The unit of its values (`%`, `B`, `ms`, a perf_data unit), or null. */
  readonly unit?: string | null;
  /** The warning and critical levels to draw (a perf_data range's bound), or null. */
  readonly warn?: number | null;
  readonly crit?: number | null;
  /** A series whose values are states: the name of each value (`levels[value]`), or null. */
  readonly levels?: readonly string[] | null;
}

export interface StatsSeriesInfo extends StatsSeriesKey {
  /** `metric|subject|label`: how points name their series. */
  readonly id: string;
  /** A short name for people: `web:0`, `nightly time`. */
  readonly title: string;
  readonly unit: string | null;
  readonly warn: number | null;
  readonly crit: number | null;
  readonly levels: readonly string[] | null;
  /** When its subject went away (a task ended), or null while it lives. */
  readonly endedAt: number | null;
}

/** A series' points, in time order: `t[i]` (ms since epoch) and `v[i]`. */
export interface StatsPoints {
  readonly id: string;
  readonly t: readonly number[];
  readonly v: readonly number[];
}

/** A snapshot or a batch of new points. */
export interface StatsBatch {
  /** When it was taken (ms since epoch, the agent's clock). */
  readonly at: number;
  /** How far back the agent keeps points (ms). */
  readonly windowMs: number;
  /** The series the points name (a batch: only the new or changed ones). */
  readonly series: readonly StatsSeriesInfo[];
  readonly points: readonly StatsPoints[];
}

export interface ReadStatsParams {
  /** Only points at or after this time (ms since epoch); default: all kept. */
  readonly since?: number;
}

/** Any client → agent: every series and its points since `since` (the dashboard's first paint, `taskwarden stats`). */
export namespace ReadStatsRequest {
  export const method = 'taskwarden/stats/read' as const;
  export const type = new RequestType<ReadStatsParams, StatsBatch, void>(method);
}

/** Agent → clients subscribed to `stats`: the points recorded since the last batch (about once a second, only when there are some). */
export namespace StatsPointsNotification {
  export const method = 'taskwarden/stats/points' as const;
  export const type = new NotificationType<StatsBatch>(method);
}

/** The id of a series: metric, subject and label joined by `|`. */
export function statsSeriesId(key: StatsSeriesKey): string {
  return key.label === undefined ? `${key.metric}|${key.subject}` : `${key.metric}|${key.subject}|${key.label}`;
}
