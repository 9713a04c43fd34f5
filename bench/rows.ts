/**
 * Which figures the table shows, and where each comes from in the scenarios' outcomes.
 * Lower is better unless a row says otherwise.
 */
import type { BenchConfig, SubjectId } from './config';
import type { IdleData } from './scenarios/idle';
import type { LogData } from './scenarios/log';
import type { Outcomes } from './scenarios/outcome';
import type { RestartData } from './scenarios/restart';
import type { StartStopData } from './scenarios/startStop';
import type { FeedbackData } from './scenarios/feedback';
import type { TasksData } from './scenarios/tasks';
import type { QueuesData } from './scenarios/queues';
import type { TaskPath } from './subject';
import type { JobsOutcome } from './scenarios/jobs';
import type { ResourcesOutcome } from './scenarios/resources';
import type { GroupsOutcome } from './scenarios/groups';
import type { Cell, Row, Statistic } from './table';

export interface AllOutcomes {
  restart?: Outcomes<RestartData>;
  startStop?: Outcomes<StartStopData>;
  idle?: Outcomes<IdleData>;
  log?: Outcomes<LogData>;
  tasks?: Record<TaskPath, Outcomes<TasksData>>;
  feedback?: Outcomes<FeedbackData>;
  queues?: Outcomes<QueuesData>;
  /** Taskwarden only (scenarios/jobs.ts prints its own table). */
  jobs?: JobsOutcome;
  /** Taskwarden only (scenarios/resources.ts prints its own figures). */
  resources?: ResourcesOutcome;
  /** Taskwarden only (scenarios/groups.ts prints its own table). */
  groups?: GroupsOutcome;
}

function row<T>(
  figure: string,
  outcomes: Outcomes<T> | undefined,
  samples: (data: T) => readonly number[],
  options: { statistic?: Statistic; better?: 'lower' | 'higher' } = {},
): Row | null {
  if (outcomes === undefined) return null;
  const cells: Partial<Record<SubjectId, Cell>> = {};
  for (const [id, outcome] of Object.entries(outcomes) as Array<[SubjectId, (typeof outcomes)[SubjectId]]>) {
    if (outcome === undefined) continue;
    if (!outcome.ok) cells[id] = { na: outcome.reason };
    else if (samples(outcome.data).length > 0) cells[id] = { samples: samples(outcome.data) };
  }
  return { figure, cells, statistic: options.statistic ?? 'median', better: options.better ?? 'lower' };
}

function taskRows(path: TaskPath, outcomes: Outcomes<TasksData> | undefined, count: number): Array<Row | null> {
  const how = path === 'cli' ? 'via CLI' : 'via protocol';
  return [
    row(`5 ${count} × /bin/true ${how}, tasks/s (higher is better)`, outcomes, (data) => [count / (data.wallNs / 1e9)], {
      better: 'higher',
    }),
    row(`5 launch → finished ${how}, p50 ms`, outcomes, (data) => data.latenciesMs, { statistic: 'p50' }),
    row(`5 launch → finished ${how}, p99 ms`, outcomes, (data) => data.latenciesMs, { statistic: 'p99' }),
  ];
}

function queueRows(outcomes: Outcomes<QueuesData> | undefined, config: BenchConfig): Array<Row | null> {
  const n = config.queueItems;
  const higher = { better: 'higher' } as const;
  const peersNote = 'peers: one C client call per item, their only way';
  return [
    row(
      `7 queue, one CLI call per item, items/s (TW: ${config.queueCliItems} items, a Node start-up each: cannot win; ${peersNote})`,
      outcomes,
      (data) => data.throughput.cli?.perSecond ?? [],
      higher,
    ),
    row(
      `7 queue, ${n} items in one --stdin batch, items/s (${peersNote})`,
      outcomes,
      (data) => data.throughput.batch?.perSecond ?? [],
      higher,
    ),
    row(`7 queue, ${n} items via protocol, items/s (${peersNote})`, outcomes, (data) => data.throughput.protocol?.perSecond ?? [], higher),
    row('7 queue, previous item ended → next first instruction, p50 ms', outcomes, (data) => data.gapsMs, { statistic: 'p50' }),
    row('7 queue, previous item ended → next first instruction, p99 ms', outcomes, (data) => data.gapsMs, { statistic: 'p99' }),
    row(`7 queue, ${config.queueScaleItems} queued: agent RSS added, MB`, outcomes, (data) => (data.scale ? [data.scale.rssAddedMb] : [])),
    row(
      `7 queue list --json with ${config.queueScaleItems} queued (whole CLI command), ms`,
      outcomes,
      (data) => data.scale?.listCliMs ?? [],
    ),
    row(`7 queue list with ${config.queueScaleItems} queued via protocol, ms`, outcomes, (data) => data.scale?.listProtocolMs ?? []),
  ];
}

export function buildRows(all: AllOutcomes, config: BenchConfig): Row[] {
  const mb = config.logBytes / 1e6;
  const n = config.fleetSize;
  const rows: Array<Row | null> = [
    row('1 restart after SIGKILL, ms', all.restart, (data) => data.latenciesMs),
    row('1 restart after SIGKILL, p90 ms', all.restart, (data) => data.latenciesMs, { statistic: 'p90' }),
    row('1 supervisor CPU per restart, ms', all.restart, (data) => data.cpuMsPerRestart),
    row('1 extra starts between kills (expect 0)', all.restart, (data) => [data.unexpectedStarts]),
    row(`2 start ${n} → all running, ms`, all.startStop, (data) => data.startAllMs),
    row(`2 start ${n} → command returned, ms`, all.startStop, (data) => data.startCommandMs),
    row(`2 stop ${n} → all gone, ms`, all.startStop, (data) => data.stopGoneMs),
    row(`3 idle with ${n}: supervisor RSS, MB`, all.idle, (data) => data.rssMb),
    row(`3 idle with ${n}: supervisor CPU, % of a core`, all.idle, (data) => data.cpuPercent),
    row(`4 ${mb} MB stdout → log file, s`, all.log, (data) => data.seconds),
    row(`4 supervisor CPU for ${mb} MB, s`, all.log, (data) => data.cpuSeconds),
    row(`4 supervisor peak RSS while logging, MB`, all.log, (data) => data.peakRssMb),
    ...taskRows('protocol', all.tasks?.protocol, config.tasks),
    ...taskRows('cli', all.tasks?.cli, config.tasks),
    row(
      `6 ${config.feedbackTasks} tasks with feedback files at rest: supervisor CPU, % of a core`,
      all.feedback,
      (data) => data.cpuPercent,
    ),
    ...queueRows(all.queues, config),
  ];
  return rows.filter((entry): entry is Row => entry !== null);
}
