/**
 * `taskwarden queue push QUEUE [--id ID] [--cwd DIR] [--env K=V]… [--after ID]… -- CMD ARGS…`
 * and `queue push QUEUE --stdin` (one item per line, all or none). Prints the ids.
 */
import type { Command } from 'commander';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson } from '../../cli/output';
import { PushItemsRequest, type PushItemSpec } from '../protocol';
import { atLine, parseEnvAssignment, parsePushLines } from './pushLines';
import { namesArgument } from '../../cli/completion/argumentNames';
import { queueNames } from './queueNames';

interface PushOptions {
  readonly id?: string;
  readonly cwd?: string;
  readonly env: string[];
  readonly after: string[];
  readonly stdin?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function singleItem(argv: readonly string[], options: PushOptions): PushItemSpec | string {
  if (argv.length === 0) return 'give the command after --, or --stdin';
  const env: Record<string, string> = {};
  for (const text of options.env) {
    const pair = parseEnvAssignment(text);
    if (pair === null) return `invalid --env ${JSON.stringify(text)}: expected NAME=VALUE`;
    env[pair[0]] = pair[1];
  }
  return {
    cmd: argv,
    ...(options.id !== undefined ? { id: options.id } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.env.length > 0 ? { env } : {}),
    ...(options.after.length > 0 ? { after: options.after } : {}),
  };
}

export function registerQueuePushCommand(queue: Command): void {
  queue
    .command('push')
    .description('push a command at the end of a queue (prints its id), or many with --stdin')
    .addArgument(namesArgument('<queue>', 'the queue', queueNames))
    .argument('[command...]', 'the command and its arguments, after --')
    .option('--id <id>', 'the item id (default: generated); refused if an item of this id is queued or running')
    .option('--cwd <dir>', 'working folder, relative to the queue workdir (must stay inside it)')
    .option('--env <K=V>', 'an environment variable for the item (repeat)', collect, [])
    .option('--after <id>', 'start only after this item ended well (repeat)', collect, [])
    .option('--stdin', 'read one item per line: a JSON argv array or {id, cmd, cwd, env, after}; pushed all or none')
    .option('--json', 'print the ids as JSON')
    .action(async (name: string, argv: string[], options: PushOptions, command: Command) => {
      const global = globalOptions(command);
      let items: PushItemSpec[];
      let lines: readonly number[] = [];
      if (options.stdin) {
        if (argv.length > 0 || options.id || options.cwd || options.env.length > 0 || options.after.length > 0) {
          process.exitCode = fail(
            '--stdin takes every item from its lines: no command, --id, --cwd, --env or --after with it',
            ExitCode.Usage,
          );
          return;
        }
        // A user who typed --stdin at a prompt would otherwise see a command that seems to hang.
        if (process.stdin.isTTY) process.stderr.write('taskwarden: reading items from the terminal, one per line; end with Ctrl-D\n');
        const parsed = parsePushLines(await readStdin());
        if (!parsed.ok) {
          process.exitCode = fail(parsed.error.message);
          return;
        }
        ({ items, lines } = parsed.value);
      } else {
        const item = singleItem(argv, options);
        if (typeof item === 'string') {
          process.exitCode = fail(item, ExitCode.Usage);
          return;
        }
        items = [item];
      }
      process.exitCode = await withAgent(global, async (agent) => {
        const result = await agent.connection.sendRequest(PushItemsRequest.type, { queue: name, items }).catch((error: unknown) => {
          throw atLine(error, lines);
        });
        if (global.json) printJson(result.ids);
        else process.stdout.write(result.ids.length > 0 ? `${result.ids.join('\n')}\n` : '');
        return ExitCode.Ok;
      });
    });
}
