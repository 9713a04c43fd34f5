/**
 * `taskwarden task kill ID` (release a reservation, or kill a running task's
 * whole process group and record it as killed) and `taskwarden task killall
 * NAME` (the same for every task of that name).
 */
import type { Command } from 'commander';
import { KillAllTasksRequest, KillTaskRequest } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, printJson } from '../../cli/output';
import { taskIdArgument } from './taskFormat';
import { namesArgument } from '../../cli/completion/argumentNames';
import { taskIds } from './taskIds';

function listOf(ids: readonly number[]): string {
  return ids.join(', ');
}

export function registerTaskKillCommands(task: Command): void {
  task
    .command('kill')
    .description('release a reserved id, or kill a running task (its whole process group); returns once it is recorded')
    .addArgument(namesArgument('<id>', 'the task id', taskIds).argParser(taskIdArgument))
    .option('--json', 'print the result as JSON')
    .action(async (id: number, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const result = await agent.connection.sendRequest(KillTaskRequest.type, { id });
        if (global.json) printJson(result);
        else process.stdout.write(result.was === 'reserved' ? `released reservation ${id}\n` : `killed task ${id}\n`);
        return ExitCode.Ok;
      });
    });

  task
    .command('killall')
    .description('kill every running task and release every reservation of this name')
    .argument('<name>', 'the task name')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const result = await agent.connection.sendRequest(KillAllTasksRequest.type, { name });
        if (global.json) printJson(result);
        else {
          if (result.killed.length > 0)
            process.stdout.write(`killed task${result.killed.length === 1 ? '' : 's'} ${listOf(result.killed)}\n`);
          if (result.released.length > 0)
            process.stdout.write(`released reservation${result.released.length === 1 ? '' : 's'} ${listOf(result.released)}\n`);
        }
        return ExitCode.Ok;
      });
    });
}
