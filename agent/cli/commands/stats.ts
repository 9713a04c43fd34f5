/**
 * `taskwarden stats [--json] [--since 10m]`: the agent's recent values per
 * series (protocol/stats.ts), the same data the dashboard draws. As a table:
 * one row per series with its point count and its last value; with --json, the
 * snapshot as the agent answers it.
 */
import type { Command } from 'commander';
import { formatDuration, parseDuration } from '../../protocol/durations';
import { ReadStatsRequest, type StatsBatch } from '../../protocol/stats';
import { statsValueText } from '../../protocol/statsPresentation';
import { globalOptions, withAgent } from '../globalOptions';
import { ExitCode, fail, printJson, printTable } from '../output';

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('show the recent values the agent keeps per series (daemons, jobs, queues, tasks, groups), as the dashboard draws them')
    .option('--json', 'print as JSON')
    .option('--since <duration>', "only points this recent, e.g. '10m', '90s', '1h'")
    .action(async (options: { since?: string }, command: Command) => {
      const global = globalOptions(command);
      const sinceMs = options.since === undefined ? null : parseDuration(options.since);
      if (sinceMs === null && options.since !== undefined) {
        process.exitCode = fail(`--since must be a duration like '10m', '90s' or '1h' (got '${options.since}')`, ExitCode.Usage);
        return;
      }
      process.exitCode = await withAgent(global, async (agent) => {
        const since = sinceMs === null ? undefined : Date.now() - sinceMs;
        const batch = await agent.connection.sendRequest(ReadStatsRequest.type, since === undefined ? {} : { since });
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
