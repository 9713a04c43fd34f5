/**
 * `taskwarden task update` (expire overdue reservations, re-check feedback files
 * now) and `taskwarden task initialize --yes` (empty the task tables).
 */
import type { Command } from 'commander';
import { InitializeTasksRequest, UpdateTasksRequest } from '../protocol';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson } from '../../cli/output';
import { counted } from '../../protocol/counts';

export function registerTaskMaintenanceCommands(task: Command): void {
  task
    .command('update')
    .description('expire overdue reservations and re-check every running task now (the agent also does it by itself)')
    .option('--json', 'print the counts as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const result = await agent.connection.sendRequest(UpdateTasksRequest.type, {});
        if (global.json) printJson(result);
        else
          process.stdout.write(
            `${result.running} running, ${result.reserved} reserved, ${counted(result.expired, 'reservation')} expired now\n`,
          );
        return ExitCode.Ok;
      });
    });

  task
    .command('initialize')
    .description('empty the task tables: the whole history and every reservation; ids restart at 1 (refused while tasks run)')
    .option('--yes', 'confirm: this deletes the task history')
    .option('--json', 'print the result as JSON')
    .action(async (options: { yes?: boolean }, command: Command) => {
      const global = globalOptions(command);
      if (options.yes !== true) {
        process.exitCode = fail('this deletes the whole task history and every reservation; run it again with --yes', ExitCode.Usage);
        return;
      }
      process.exitCode = await withAgent(global, async (agent) => {
        const result = await agent.connection.sendRequest(InitializeTasksRequest.type, {});
        if (global.json) printJson(result);
        else
          process.stdout.write(
            `task tables emptied (${result.removedHistory} history rows, ${result.releasedReservations} reservations)\n`,
          );
        return ExitCode.Ok;
      });
    });
}
