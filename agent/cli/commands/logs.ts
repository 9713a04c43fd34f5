/**
 * `taskwarden logs SOURCE [-f] [-n LINES] [--since WHEN] [--timestamps]
 * [--stdout|--stderr] [--json]`: the recent output of a daemon
 * (`NAME[:instance]`) or a task (`task:ID`), read across rotated files, then
 * (with -f) new lines as they come until Ctrl-C or the task's end, across agent
 * restarts (logsFollow.ts). Lines of the run's stdout go to stdout, its stderr
 * to stderr; with several instances each line is prefixed by `task:instance |`,
 * with --timestamps by the time it was written; a marked line shows where a
 * daemon restarted. With --json every line is one JSON object on stdout:
 * {"run", "stream", "line"} (and "instance" for a daemon's, as before; "time"
 * with --timestamps; "marker" on a marked line).
 */
import type { Command } from 'commander';
import type { PartModule } from '../../core/part';
import { InvalidArgumentError } from 'commander';
import type { OutputLine, OutputSource, OutputStream } from '../../protocol/output';
import { globalOptions } from '../globalOptions';
import { fail } from '../output';
import { parseSourceArgument } from './logsSource';
import { formatLineTime } from '../../protocol/outputMarkers';
import { sinceOption } from '../sinceOption';
import { namesArgument } from '../completion/argumentNames';
import { logSourceNames } from '../completion/runIds';
import { runLogs, type LogSink } from './logsFollow';

export interface LogsOptions {
  readonly follow?: boolean;
  readonly lines: number;
  readonly timestamps?: boolean;
  readonly since?: number;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
  readonly json?: boolean;
}

function lineCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a number of lines, 0 or more');
  return Number(value);
}

/** Plain text: each stream to its own, prefixed by the time (--timestamps) and by the instance when there are several. */
function textSink(): LogSink {
  let prefix = false;
  return {
    begin: (runs) => {
      prefix = new Set(runs).size > 1;
    },
    print: (line: OutputLine) => {
      const time = line.time === undefined ? '' : `${formatLineTime(line.time)} `;
      const text = `${time}${prefix ? `${line.run} | ` : ''}${line.text}\n`;
      if (line.stream === 'stderr') process.stderr.write(text);
      else process.stdout.write(text);
    },
  };
}

/** One JSON object per line, all on stdout; a daemon's keep their `instance` key. */
function jsonSink(source: OutputSource): LogSink {
  return {
    begin: () => undefined,
    print: (line: OutputLine) => {
      const run = source.part === 'daemons' ? { instance: line.run, run: line.run } : { run: line.run };
      const time = line.time === undefined ? {} : { time: new Date(line.time).toISOString() };
      const marker = line.marker === undefined ? {} : { marker: line.marker };
      process.stdout.write(`${JSON.stringify({ ...run, stream: line.stream, line: line.text, ...time, ...marker })}\n`);
    },
  };
}

/** The options of `logs`, on it and on any command that is `logs` for one kind of run (`task logs ID`). */
export function withLogsOptions(command: Command): Command {
  return command
    .option('-f, --follow', "keep printing new lines until interrupted or the task's end (across agent restarts)")
    .option('-n, --lines <count>', 'how many recent lines per instance and stream', lineCount, 50)
    .option('--stdout', 'only its stdout')
    .option('--stderr', 'only its stderr')
    .option('--timestamps', 'prefix each line with the time it was written')
    .option('--since <when>', 'only lines written since then: 10m, 1h, 30s back from now, or an ISO time (-n then caps them)', sinceOption)
    .option('--json', 'one JSON object per line: {"run", "stream", "line"} ("instance" too for a daemon, "time" with --timestamps)');
}

/** What `logs` does for a source; `task logs ID` is the same for the task's source. */
export async function logsOf(source: OutputSource, options: LogsOptions, command: Command): Promise<void> {
  const streams: OutputStream[] =
    options.stderr && !options.stdout ? ['stderr'] : options.stdout && !options.stderr ? ['stdout'] : ['stdout', 'stderr'];
  // With --since every line since then comes, unless -n was given too.
  const lines = options.since !== undefined && command.getOptionValueSource('lines') === 'default' ? undefined : options.lines;
  process.exitCode = await runLogs(
    globalOptions(command),
    {
      source,
      ...(lines !== undefined ? { lines } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
      streams,
      follow: options.follow === true,
      timestamps: options.timestamps === true,
      markers: true,
    },
    options.json ? jsonSink(source) : textSink(),
  );
}

/** `taskwarden logs SOURCE`; the parts are handed in (the parts' own commands import this file). */
export function registerLogsCommand(program: Command, parts: readonly PartModule[]): void {
  withLogsOptions(
    program
      .command('logs')
      .description("show a daemon's or a task's captured output (stdout and stderr)")
      .addArgument(namesArgument('<source>', 'a daemon NAME or NAME:instance, task:ID or queue:ID', logSourceNames(parts))),
  ).action(async (argument: string, options: LogsOptions, command: Command) => {
    const parsed = parseSourceArgument(argument, parts);
    if (!parsed.ok) process.exitCode = fail(parsed.error.message);
    else await logsOf(parsed.value, options, command);
  });
}

/** Global options that take a value, so their value is not taken for the command name. */
const GLOBAL_WITH_VALUE = new Set(['-w', '--workspace', '-f', '--config', '-r', '--roles']);

/**
 * `-f` is the global `--config` everywhere, but after a command that has a
 * `--follow` (`logs`, `task logs`) a user means `--follow` (as in `tail -f`):
 * rewrite it there before commander sees it. The command is found by walking
 * the program's own subcommands along the words given.
 */
export function rewriteFollowFlag(program: Command, argv: readonly string[]): string[] {
  let index = 0;
  let command = program;
  while (index < argv.length && command.commands.length > 0) {
    const arg = argv[index]!;
    if (GLOBAL_WITH_VALUE.has(arg)) index += 2;
    else if (arg.startsWith('-')) index += 1;
    else {
      const sub = command.commands.find((candidate) => candidate.name() === arg || candidate.aliases().includes(arg));
      if (!sub) break;
      command = sub;
      index += 1;
    }
  }
  if (!command.options.some((option) => option.long === '--follow')) return [...argv];
  return argv.map((arg, position) => (position >= index && arg === '-f' ? '--follow' : arg));
}
