/**
 * `taskwarden reload`: make the agent re-read taskwarden.yaml now. A config
 * with errors is not applied (the running one stays); its problems are printed.
 */
import type { Command } from 'commander';
import { formatDiagnostic } from '../../config/diagnostic';
import { ReloadConfigRequest } from '../../protocol/config';
import { globalOptions, withAgent } from '../globalOptions';
import { ExitCode, printJson } from '../output';

export function registerReloadCommand(program: Command): void {
  program
    .command('reload')
    .description('re-read taskwarden.yaml and apply the changes now (a config with errors is not applied)')
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const result = await agent.connection.sendRequest(ReloadConfigRequest.type);
        if (global.json) {
          printJson(result);
        } else {
          for (const diagnostic of result.diagnostics) process.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
          process.stdout.write(result.applied ? 'config applied\n' : 'config has errors: not applied; the running config stays\n');
        }
        return result.applied ? ExitCode.Ok : ExitCode.Failure;
      });
    });
}
