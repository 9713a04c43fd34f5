#!/usr/bin/env node
/**
 * The `taskwarden` command line: argument parsing (commander), the agent's own
 * commands (agent/cli/commands/) and every part's (agent/parts.ts). Usage
 * errors exit 2, failures 1.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerAgentCommand } from './cli/commands/agent';
import { registerCheckCommand } from './cli/commands/check';
import { COMPLETE_COMMAND, registerCompletionCommand, runComplete } from './cli/commands/completion';
import { registerDownCommand } from './cli/commands/down';
import { registerLogsCommand, rewriteFollowFlag } from './cli/commands/logs';
import { registerReloadCommand } from './cli/commands/reload';
import { registerStatusCommand } from './cli/commands/status';
import { registerStatsCommand } from './cli/commands/stats';
import { registerUpCommand } from './cli/commands/up';
import { registerWatchCommand } from './cli/commands/watch';
import { ExitCode } from './cli/output';
import { PARTS } from './parts';
import { AGENT_VERSION } from './protocol/version';

export function buildProgram(): Command {
  const program = new Command('taskwarden')
    .description('Taskwarden: keep daemons up, run tracked tasks, tasklet groups, scheduled jobs and command queues')
    .version(AGENT_VERSION, '-V, --version')
    .option('-w, --workspace <dir>', 'the workspace folder (default: the current folder)')
    .option('-f, --config <file>', 'the config file (default: <workspace>/taskwarden.yaml)')
    .option('-r, --roles <file>', 'the roles file (overrides settings.roles_file)')
    .addOption(new Option('--no-start', 'fail instead of starting an agent when none runs'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', '\nEvery command that prints data also takes --json: machine-readable output on stdout.');
  registerAgentCommand(program);
  registerUpCommand(program);
  registerDownCommand(program);
  registerStatusCommand(program);
  registerWatchCommand(program, PARTS);
  registerCheckCommand(program);
  registerReloadCommand(program);
  registerLogsCommand(program, PARTS);
  registerStatsCommand(program);
  for (const part of PARTS) part.commands?.(program);
  registerCompletionCommand(program);
  // Every subcommand rejects unknown flags and reports usage errors the same way.
  const harden = (command: Command): void => {
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
    // A command group without a subcommand (`taskwarden task`) is a usage error.
    if (command.commands.length > 0) {
      command.action(() => {
        command.outputHelp({ error: true });
        process.exitCode = ExitCode.Usage;
      });
    }
    command.commands.forEach(harden);
  };
  program.commands.forEach(harden);
  return program;
}

/** `taskwarden ps | head` closes our stdout early: that is the reader's choice, not an error. */
function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.Usage;
  }
  if (argv[0] === COMPLETE_COMMAND) return runComplete(program, argv.slice(1));
  try {
    await program.parseAsync(rewriteFollowFlag(program, argv), { from: 'user' });
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
        return ExitCode.Ok;
      return ExitCode.Usage;
    }
    process.stderr.write(`taskwarden: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.Failure;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    // The foreground agent keeps the process alive by itself; everything else ends here.
    process.exitCode = code;
  });
}
