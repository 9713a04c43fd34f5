/**
 * `taskwarden reload`: make the agent re-read its config now. With -f FILE or
 * -r FILE it switches the running agent to those files (and then follows
 * them). A config with errors is not applied (the running one stays), and a
 * switch to it does not happen; its problems are printed.
 */
import type { Command } from 'commander';
import { formatDiagnostic } from '../../config/diagnostic';
import { ReloadConfigRequest, type ReloadConfigParams, type ReloadResult } from '../../protocol/config';
import type { AgentConnection } from '../agentClient';
import { globalOptions, requestedFiles, withAgent } from '../globalOptions';
import { ExitCode, printJson } from '../output';

function describeRoles(rolesFile: string | null): string {
  return rolesFile === null ? 'no roles file' : `roles file ${rolesFile}`;
}

/** What a reload did, in a sentence. */
export function describeReload(result: ReloadResult, asked: ReloadConfigParams): string {
  if (result.applied && result.switched) return `switched to ${result.configFile} (${describeRoles(result.rolesFile)}); config applied`;
  if (result.applied) return 'config applied';
  if (asked.configFile !== undefined || asked.rolesFile !== undefined) {
    const wanted = [asked.configFile, asked.rolesFile].filter((file) => file !== undefined).join(' and ');
    return `${wanted}: errors, not switched; the agent keeps ${result.configFile} (${describeRoles(result.rolesFile)}) and its running config`;
  }
  return 'config has errors: not applied; the running config stays';
}

/** Prints a reload's problems and outcome. */
export function printReload(result: ReloadResult, asked: ReloadConfigParams): void {
  for (const diagnostic of result.diagnostics) process.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
  process.stdout.write(`${describeReload(result, asked)}\n`);
}

/** Sends the reload (or switch) and prints its outcome; exit 0 only when applied. */
async function reloadAgent(agent: AgentConnection, asked: ReloadConfigParams, json: boolean | undefined): Promise<number> {
  const result = await agent.connection.sendRequest(ReloadConfigRequest.type, asked);
  if (json) printJson(result);
  else printReload(result, asked);
  return result.applied ? ExitCode.Ok : ExitCode.Failure;
}

export function registerReloadCommand(program: Command): void {
  program
    .command('reload')
    .description('re-read the config and apply the changes now, or switch to -f FILE / -r FILE (a config with errors is not applied)')
    .option('--json', 'print the result as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(
        global,
        (agent) => reloadAgent(agent, requestedFiles(global, agent.handshake.workspace), global.json),
        { switchesFiles: true },
      );
    });
}
