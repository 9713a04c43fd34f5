/**
 * `taskwarden task logs ID [-f]`: the same command as `taskwarden logs task:ID`
 * (one implementation, agent/cli/commands/logs.ts), for pueue users who type
 * `pueue log ID`.
 */
import type { Command } from 'commander';
import { logsAction, withLogsOptions, type LogsOptions } from '../../cli/commands/logs';
import { taskRunNaming } from '../runNaming';
import { taskIdArgument } from './taskFormat';

const PREFIX = taskRunNaming.logs.prefix;

export function registerTaskLogsCommand(task: Command): void {
  withLogsOptions(
    task
      .command('logs')
      .description(`a task's captured output: the same as taskwarden logs ${PREFIX}:ID`)
      .argument('<id>', 'the task id', taskIdArgument),
  ).action((id: number, options: LogsOptions, command: Command) => logsAction(`${PREFIX}:${id}`, options, command));
}
