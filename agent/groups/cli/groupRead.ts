/**
 * `group list [--json]`, `group status [G] [--json]`, `group params G [--json]`,
 * `group history G [--limit N] [--json]`: what the agent knows of the groups.
 */
import type { Command } from 'commander';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson, printTable } from '../../cli/output';
import { formatDuration } from '../../protocol/durations';
import { formatDiagnostic } from '../../protocol/diagnostics';
import { GroupHistoryRequest, GroupParamsRequest, GroupStatusRequest, ListGroupsRequest } from '../protocol';
import { formatTaskletDuration, groupDescription, outcomeWords, roundDescription } from '../protocol';
import { namesArgument } from '../../cli/completion/argumentNames';
import { groupNames } from './groupNames';

function ago(now: number, at: number): string {
  return at > 0 ? `${formatDuration(now - at)} ago` : '-';
}

export function registerGroupReadCommands(group: Command): void {
  group
    .command('list')
    .description('every group under the groups root, with its state and rounds')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const list = await agent.connection.sendRequest(ListGroupsRequest.type, {});
        if (options.json) printJson(list);
        else if (list.groups.length === 0) process.stdout.write(`no groups (root: ${list.root || 'no groups section'})\n`);
        else
          printTable(
            ['GROUP', 'STATE', 'PID', 'INTERVAL', 'TASKLETS', 'DESCRIPTION'],
            list.groups.map((g) => [
              g.name,
              g.state,
              g.pid === null ? '-' : String(g.pid),
              `${g.intervalSeconds}s`,
              String(g.tasklets),
              groupDescription(g, list.now),
            ]),
          );
        return ExitCode.Ok;
      });
    });

  group
    .command('status')
    .description('running or stopped, uptime, rounds, next round, and per tasklet: priority, last match, last run, duration, last error')
    .addArgument(namesArgument('[group]', 'one group (default: all)', groupNames))
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, options: { json?: boolean }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const status = await agent.connection.sendRequest(GroupStatusRequest.type, name === undefined ? {} : { group: name });
        if (options.json) {
          printJson(status);
          return ExitCode.Ok;
        }
        const now = status.now;
        for (const g of status.groups) {
          process.stdout.write(`group ${g.name}: ${groupDescription(g, now)}\n`);
          process.stdout.write(
            `  folder ${g.folder}${g.paramsFile ? `, params ${g.paramsFile}` : ''}, every ${g.intervalSeconds}s, time limit ${g.timeLimitSeconds}s\n`,
          );
          if (g.taskletStatus.length > 0)
            printTable(
              ['  TASKLET', 'PRIORITY', 'THIS ROUND', 'LAST MATCH', 'LAST RUN', 'DURATION', 'LAST ERROR'],
              g.taskletStatus.map((t) => [
                `  ${t.name}`,
                String(t.priority),
                outcomeWords(t.outcome),
                ago(now, t.lastMatchAt),
                ago(now, t.lastRunAt),
                t.lastDurationMs === null ? '-' : formatTaskletDuration(t.lastDurationMs),
                t.lastError?.message ?? '',
              ]),
            );
          for (const problem of g.problems) process.stdout.write(`  ${formatDiagnostic(problem)}\n`);
        }
        return ExitCode.Ok;
      });
    });

  group
    .command('params')
    .description("a group's live params (as of the last round's end, or a reload of its params file)")
    .addArgument(namesArgument('<group>', 'the group', groupNames))
    .option('--json', 'print JSON (the params object only)')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(GroupParamsRequest.type, { group: name });
        if (options.json) printJson(result.params);
        else {
          for (const [key, value] of Object.entries(result.params)) process.stdout.write(`${key} = ${JSON.stringify(value)}\n`);
          for (const problem of result.problems) process.stderr.write(`${formatDiagnostic(problem)}\n`);
        }
        return ExitCode.Ok;
      });
    });

  group
    .command('history')
    .description("a group's last rounds, most recent first, with each tasklet's result")
    .addArgument(namesArgument('<group>', 'the group', groupNames))
    .option('--limit <n>', 'how many rounds (default 20)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { limit?: string; json?: boolean }, command: Command) => {
      const limit = options.limit === undefined ? undefined : Number(options.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
        process.exitCode = fail(`--limit must be a whole number of rounds, at least 1 (got '${options.limit}')`, ExitCode.Usage);
        return;
      }
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(GroupHistoryRequest.type, {
          group: name,
          ...(limit === undefined ? {} : { limit }),
        });
        if (options.json) {
          printJson(result.rounds);
          return ExitCode.Ok;
        }
        for (const round of result.rounds) {
          process.stdout.write(`${new Date(round.startedAt).toISOString()}  ${roundDescription(round)}\n`);
          for (const r of round.results)
            process.stdout.write(
              `    ${r.name}: ${outcomeWords(r.outcome)} ${formatTaskletDuration(r.durationMs)}${r.error ? ` — ${r.error.message}` : ''}\n`,
            );
        }
        return ExitCode.Ok;
      });
    });
}
