/**
 * `taskwarden up`: makes sure the workspace's agent runs (starting it detached)
 * and returns once it answers. Given -f / -r other than a running agent
 * follows, it switches that agent to them, as `reload` does (a config with
 * errors is not switched to: exit 1).
 */
import type { Command } from 'commander';
import { ReloadConfigRequest, type ReloadResult } from '../../protocol/config';
import { filesMismatch, globalOptions, requestedFiles, withAgent } from '../globalOptions';
import { ExitCode, printJson } from '../output';
import { printReload } from './reload';

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start the agent for the workspace in the background (or find the running one; -f / -r switch it)')
    .option('--json', 'print the agent as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = { ...globalOptions(command), start: true };
      process.exitCode = await withAgent(
        global,
        async (agent, started) => {
          const { pid, agentVersion, workspace } = agent.handshake;
          let reload: ReloadResult | null = null;
          if (!started && filesMismatch(global, agent.handshake) !== null) {
            const asked = requestedFiles(global, workspace);
            reload = await agent.connection.sendRequest(ReloadConfigRequest.type, asked);
            if (!global.json) printReload(reload, asked);
          }
          if (global.json)
            printJson({
              pid,
              agentVersion,
              protocolVersion: agent.handshake.protocolVersion,
              workspace,
              socketPath: agent.socketPath,
              ...(reload !== null ? { reload } : {}),
            });
          else process.stdout.write(`agent running (pid ${pid}, version ${agentVersion}) for ${workspace}\n`);
          return reload !== null && !reload.applied ? ExitCode.Failure : ExitCode.Ok;
        },
        { switchesFiles: true },
      );
    });
}
