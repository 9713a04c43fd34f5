/**
 * `taskwarden task reserve [--name N] [--unique]`: prints a new task id (the
 * bare number, for `ID=$(taskwarden task reserve)`), valid for the reservation
 * lifetime (setting `watcher.reservation_ttl`, 5 s by default).
 */
import type { Command } from 'commander';
import { ReserveTaskRequest } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson } from '../../cli/output';

export function registerTaskReserveCommand(task: Command): void {
  task
    .command('reserve')
    .description('reserve a task id to launch soon (prints the id)')
    .option('--name <name>', 'the name of the task to come')
    .option('--unique', 'refuse when a task of this name is already reserved or running')
    .option('--json', 'print the reservation as JSON')
    .action(async (options: { name?: string; unique?: boolean }, command: Command) => {
      const global = globalOptions(command);
      if (options.unique && options.name === undefined) {
        process.exitCode = fail('--unique needs --name', ExitCode.Usage);
        return;
      }
      process.exitCode = await withAgent(global, async (agent) => {
        const reserved = await agent.connection.sendRequest(ReserveTaskRequest.type, {
          name: options.name,
          unique: options.unique === true,
        });
        if (global.json) printJson(reserved);
        else process.stdout.write(`${reserved.id}\n`);
        return ExitCode.Ok;
      });
    });
}
