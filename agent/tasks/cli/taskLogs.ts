/**
 * `taskwarden task logs ID [-f]`: the same command as `taskwarden logs task:ID`
 * (one implementation, agent/cli/commands/logs.ts), for pueue users who type
 * `pueue log ID`.
 */
import type { Command } from 'commander';
import { logsOf, withLogsOptions, type LogsOptions } from '../../cli/commands/logs';
import { taskIdArgument } from './taskFormat';
import { namesArgument } from '../../cli/completion/argumentNames';
import { taskIds } from './taskIds';

export function registerTaskLogsCommand(task: Command): void {
  withLogsOptions(
    task
      .command('logs')
      .description("a task's captured output: the same as taskwarden logs task:ID")
      .addArgument(namesArgument('<id>', 'the task id', taskIds).argParser(taskIdArgument)),
  ).action((id: number, options: LogsOptions, command: Command) => logsOf({ part: 'tasks', id: String(id) }, options, command));
}
