/**
 * `taskwarden logs NAME [-f] [-n LINES] [--stdout|--stderr]`: the recent output
 * of a daemon, then (with -f) new lines as they come until Ctrl-C. Lines of
 * the daemon's stdout go to stdout, its stderr to stderr; with several
 * instances each line is prefixed by `task:instance |`.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  DaemonLogNotification,
  DaemonLogsRequest,
  UnfollowDaemonLogsRequest,
  type DaemonLogLine,
  type DaemonLogStream,
} from '../../protocol/daemons';
import { globalOptions, withAgent } from '../globalOptions';
import { ExitCode } from '../output';

interface LogsOptions {
  readonly follow?: boolean;
  readonly lines: number;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
}

function lineCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a number of lines, 0 or more');
  return Number(value);
}

function printer(prefix: boolean): (line: DaemonLogLine) => void {
  return (line) => {
    const text = `${prefix ? `${line.instance} | ` : ''}${line.text}\n`;
    if (line.stream === 'stderr') process.stderr.write(text);
    else process.stdout.write(text);
  };
}

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description("show a daemon's captured output (stdout and stderr)")
    .argument('<name>', 'a daemon task, or task:instance')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('-n, --lines <count>', 'how many recent lines per instance and stream', lineCount, 50)
    .option('--stdout', 'only its stdout')
    .option('--stderr', 'only its stderr')
    .action(async (name: string, options: LogsOptions, command: Command) => {
      const global = globalOptions(command);
      const streams: DaemonLogStream[] =
        options.stderr && !options.stdout ? ['stderr'] : options.stdout && !options.stderr ? ['stdout'] : ['stdout', 'stderr'];
      process.exitCode = await withAgent(global, async (agent) => {
        const { connection } = agent;
        // Lines streamed before the answer (which says how to print them) wait here.
        const early: DaemonLogLine[] = [];
        const output: { print: (line: DaemonLogLine) => void } = { print: (line) => early.push(line) };
        connection.onNotification(DaemonLogNotification.type, (params) => {
          for (const line of params.lines) output.print(line);
        });
        const result = await connection.sendRequest(DaemonLogsRequest.type, {
          name,
          lines: options.lines,
          streams,
          follow: options.follow === true,
        });
        output.print = printer(new Set(result.files.map((file) => file.replace(/\.(out|err)$/, ''))).size > 1);
        for (const line of [...result.lines, ...early.splice(0)]) output.print(line);
        if (result.subscription === null) return ExitCode.Ok;
        const subscription = result.subscription;
        await new Promise<void>((resolve) => {
          const finish = (): void => {
            process.off('SIGINT', finish);
            process.off('SIGTERM', finish);
            void connection
              .sendRequest(UnfollowDaemonLogsRequest.type, { subscription })
              .catch(() => undefined)
              .then(() => resolve());
          };
          process.on('SIGINT', finish);
          process.on('SIGTERM', finish);
          connection.onClose(() => resolve());
        });
        return ExitCode.Ok;
      });
    });
}

/** Global options that take a value, so their value is not taken for the command name. */
const GLOBAL_WITH_VALUE = new Set(['-w', '--workspace', '-f', '--config', '-r', '--roles']);

/**
 * `-f` is the global `--config` everywhere, but after `logs` a user means
 * `--follow` (as in `tail -f`): rewrite it there before commander sees it.
 */
export function rewriteLogsFollowFlag(argv: readonly string[]): string[] {
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index]!;
    if (GLOBAL_WITH_VALUE.has(arg)) index += 2;
    else if (arg.startsWith('-')) index += 1;
    else break;
  }
  if (argv[index] !== 'logs') return [...argv];
  return argv.map((arg, position) => (position > index && arg === '-f' ? '--follow' : arg));
}
