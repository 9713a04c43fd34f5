/**
 * `taskwarden stats [--json] [--since 10m]`: the agent's recent values per
 * series (protocol/stats.ts), the same data the dashboard draws. As a table:
 * one row per series with its point count and its last value; with --json, the
 * snapshot as the agent answers it.
 */
import type { Command } from 'commander';
import { formatDuration } from '../../protocol/durations';
import { ReadStatsRequest, type StatsBatch } from '../../protocol/stats';
import { statsValueText } from '../../protocol/statsPresentation';
import { globalOptions, withAgent } from '../globalOptions';
import { ExitCode, printJson, printTable } from '../output';
import { sinceOption } from '../sinceOption';

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('show the recent values the agent keeps per series (daemons, jobs, queues, tasks, groups), as the dashboard draws them')
    .option('--json', 'print as JSON')
    .option('--since <when>', 'only points since then: a duration back from now (10m, 1h, 30s) or an ISO time', sinceOption)
    .action(async (options: { since?: number }, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const params = options.since === undefined ? {} : { since: options.since };
        const batch = await agent.connection.sendRequest(ReadStatsRequest.type, params);
        if (global.json) printJson(batch);
        else printStats(batch);
        return ExitCode.Ok;
      });
    });
}

function printStats(batch: StatsBatch): void {
  const points = new Map(batch.points.map((series) => [series.id, series]));
  const rows = batch.series
    .map((series) => ({ series, points: points.get(series.id) }))
    .filter((row) => row.points !== undefined)
    .sort((a, b) => a.series.metric.localeCompare(b.series.metric) || a.series.title.localeCompare(b.series.title))
    .map(({ series, points: { t, v } = { t: [], v: [] } }) => {
      const last = v.length - 1;
      const ended = series.endedAt === null ? '' : ' (ended)';
      return [
        series.metric,
        `${series.title}${ended}`,
        String(t.length),
        statsValueText(series, v[last] ?? 0),
        `${formatDuration(batch.at - (t[last] ?? batch.at))} ago`,
      ];
    });
  if (rows.length === 0) {
    process.stdout.write(`no points in the last ${formatDuration(batch.windowMs)}\n`);
    return;
  }
  printTable(['METRIC', 'SERIES', 'POINTS', 'LAST', 'AT'], rows);
}
