/**
 * `taskwarden agent`: runs the agent in the foreground (what `up` starts detached).
 * The agent's code is imported only here, when the command runs: in dist/ it is
 * its own bundle (agent.js, see esbuild.mjs), so other commands start faster.
 */
import type { Command } from 'commander';
import { EXIT_AGENT_ALREADY_RUNNING } from '../agentClient';
import { globalOptions } from '../globalOptions';
import { fail } from '../output';

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('run the agent for the workspace in the foreground (Ctrl-C stops it and what it supervises)')
    .option('--verbose', 'log debug lines too')
    .option('--echo', 'also print the agent log to stderr')
    .action(async (options: { verbose?: boolean; echo?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const { startAgent } = await import('../../server/main');
      const started = await startAgent({
        workspace: global.workspace,
        configFile: global.config,
        rolesFile: global.roles,
        logLevel: options.verbose ? 'debug' : 'info',
        echo: options.echo ? (line) => process.stderr.write(line) : undefined,
      });
      if (!started.ok) {
        process.exitCode = fail(started.message, started.reason === 'already-running' ? EXIT_AGENT_ALREADY_RUNNING : 1);
        return;
      }
      const stop = (): void => void started.agent.stop({ keepProcesses: false }).then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      process.on('SIGHUP', () => undefined);
    });
}
