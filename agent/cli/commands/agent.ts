/**
 * `taskwarden agent`: runs the agent in the foreground (what `up` starts detached).
 * The agent's code is imported only here, when the command runs: in dist/ it is
 * its own bundle (agent.js, see esbuild.mjs), so other commands start faster.
 *
 * A foreground agent also writes its log to stderr, so a service manager's
 * journal has it; a detached one does not, its stderr already is the log file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { statePaths } from '../../store/stateDirectory';
import { EXIT_AGENT_ALREADY_RUNNING } from '../agentClient';
import { globalOptions } from '../globalOptions';
import { fail } from '../output';

/** True when stderr is the agent log itself (a detached agent): echoing would write every line twice. */
function stderrIsAgentLog(workspace: string): boolean {
  try {
    const stderr = fs.fstatSync(2);
    const log = fs.statSync(statePaths(fs.realpathSync(path.resolve(workspace))).agentLog);
    return stderr.dev === log.dev && stderr.ino === log.ino;
  } catch {
    return false;
  }
}

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('run the agent for the workspace in the foreground (Ctrl-C stops it and what it supervises)')
    .option('--verbose', 'log debug lines too')
    .option('--echo', 'also write the agent log to stderr (the default)')
    .option('--no-echo', 'write the agent log only to .taskwarden/logs/agent.log')
    .action(async (options: { verbose?: boolean; echo?: boolean }, command: Command) => {
      const global = globalOptions(command);
      let echo = options.echo !== false && !stderrIsAgentLog(global.workspace);
      // A closed stderr (a journal gone, `| head`) ends the echo, never the agent.
      process.stderr.on('error', () => (echo = false));
      const { startAgent } = await import('../../server/main');
      const started = await startAgent({
        workspace: global.workspace,
        configFile: global.config,
        rolesFile: global.roles,
        logLevel: options.verbose ? 'debug' : 'info',
        echo: (line) => {
          if (echo) process.stderr.write(line);
        },
      });
      if (!started.ok) {
        process.exitCode = fail(started.error.message, started.error.reason === 'already-running' ? EXIT_AGENT_ALREADY_RUNNING : 1);
        return;
      }
      const stop = (): void => void started.value.stop({ keepProcesses: false }).then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      process.on('SIGHUP', () => undefined);
    });
}
