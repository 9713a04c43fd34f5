/**
 * `taskwarden task history [--limit N] [--name N]` (finished tasks, most recent
 * first) and `taskwarden task clear` (delete the history).
 */
import type { Command } from 'commander';
import { ClearTaskHistoryRequest, TaskHistoryRequest } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson, printTable } from '../../cli/output';
import { HISTORY_HEADER, historyRow } from './taskFormat';
import { counted } from '../../protocol/counts';

export function registerTaskHistoryCommand(task: Command): void {
  task
    .command('history')
    .description('list finished tasks, most recent first: exit, error, start, end, duration, final feedback')
    .option('--limit <n>', 'show at most N tasks')
    .option('--name <name>', 'only tasks of this name')
    .option('--json', 'print as JSON ({ total, entries })')
    .action(async (options: { limit?: string; name?: string }, command: Command) => {
      const global = globalOptions(command);
      let limit: number | undefined;
      if (options.limit !== undefined) {
        limit = /^\d+$/.test(options.limit) ? Number(options.limit) : NaN;
        if (!Number.isSafeInteger(limit)) {
          process.exitCode = fail(`invalid --limit ${JSON.stringify(options.limit)}: give a whole number`, ExitCode.Usage);
          return;
        }
      }
      process.exitCode = await withAgent(global, async (agent) => {
        const history = await agent.connection.sendRequest(TaskHistoryRequest.type, { limit, name: options.name });
        if (global.json) printJson(history);
        else if (history.entries.length === 0)
          process.stdout.write(history.total === 0 ? 'the history is empty\n' : 'no task on this page\n');
        else {
          printTable(HISTORY_HEADER, history.entries.map(historyRow));
          if (history.total > history.entries.length)
            process.stdout.write(`(${history.entries.length} of ${history.total}; use --limit for more)\n`);
        }
        return ExitCode.Ok;
      });
    });
}

export function registerTaskClearCommand(task: Command): void {
  task
    .command('clear')
    .description("delete the task history (and the finished tasks' output files)")
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const cleared = await agent.connection.sendRequest(ClearTaskHistoryRequest.type, {});
        if (global.json) printJson(cleared);
        else process.stdout.write(`removed ${counted(cleared.removed, 'history row')}\n`);
        return ExitCode.Ok;
      });
    });
}
