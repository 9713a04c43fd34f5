/**
 * `taskwarden down`: stops the workspace's agent and, unless --keep, every
 * process it supervises.
 */
import type { Command } from 'commander';
import { ShutdownAgentRequest } from '../../protocol/agent';
import { processIsAlive } from '../../proc/processIdentity';
import { connectToAgent } from '../agentClient';
import { globalOptions } from '../globalOptions';
import { ExitCode, fail } from '../output';

export function registerDownCommand(program: Command): void {
  program
    .command('down')
    .description('stop the agent and what it supervises')
    .option('--keep', 'leave supervised processes running; the next agent adopts them')
    .action(async (options: { keep?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const attempt = await connectToAgent(global.workspace);
      if (!attempt.ok) {
        if (attempt.reason === 'not-running') process.stdout.write(`no agent runs for ${global.workspace}\n`);
        process.exitCode = attempt.reason === 'not-running' ? ExitCode.Ok : fail(attempt.message);
        return;
      }
      const { agent } = attempt;
      const pid = agent.handshake.pid;
      // The agent may close the socket as it stops: a closed connection also means "taken".
      const closed = new Promise<void>((resolve) => agent.connection.onClose(() => resolve()));
      await Promise.race([agent.connection.sendRequest(ShutdownAgentRequest.type, { keepProcesses: options.keep === true }), closed]);
      agent.close();
      const deadline = Date.now() + 30_000;
      while (processIsAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      if (processIsAlive(pid)) {
        process.exitCode = fail(`the agent (pid ${pid}) did not exit within 30 s`);
        return;
      }
      process.stdout.write(`agent stopped (pid ${pid})\n`);
    });
}
