/**
 * `taskwarden up`: makes sure the workspace's agent runs (starting it detached)
 * and returns once it answers.
 */
import type { Command } from 'commander';
import { globalOptions, withAgent } from '../globalOptions';
import { ExitCode, printJson } from '../output';

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start the agent for the workspace in the background (or find the running one)')
    .option('--json', 'print the agent as JSON')
    .action(async (_options: unknown, command: Command) => {
      const global = { ...globalOptions(command), start: true };
      process.exitCode = await withAgent(global, async (agent) => {
        const { pid, agentVersion, workspace } = agent.handshake;
        if (global.json)
          printJson({ pid, agentVersion, protocolVersion: agent.handshake.protocolVersion, workspace, socketPath: agent.socketPath });
        else process.stdout.write(`agent running (pid ${pid}, version ${agentVersion}) for ${workspace}\n`);
        return ExitCode.Ok;
      });
    });
}
