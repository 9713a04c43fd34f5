/**
 * `queue remove|kill|retry ID`, `queue move ID --first|--before ID2`,
 * `queue pause|resume|clear QUEUE`, `queue wait ID [--start] [--timeout S]`, `queue wait-empty QUEUE [--timeout S]`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, fail, printJson } from '../../cli/output';
import { queueSummaryDescription } from '../protocol';
import {
  ClearQueueRequest,
  KillQueueItemRequest,
  MoveQueueItemRequest,
  PauseQueueRequest,
  RemoveQueueItemRequest,
  ResumeQueueRequest,
  RetryQueueItemRequest,
  WaitQueueEmptyRequest,
  WaitQueueItemRequest,
} from '../protocol';
import { processQueueRecord, queueItemDetails } from '../protocol';
import { counted } from '../../protocol/counts';
import { namesArgument } from '../../cli/completion/argumentNames';
import { queueItemIds, queueNames } from './queueNames';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--timeout SECONDS` (decimals allowed) in milliseconds. */
function timeoutOption(text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError(`expected seconds above 0 (decimals allowed), not '${text}'`);
  return Math.round(seconds * 1000);
}

/** The request's answer, or null once `ms` passed (the wait is given up; nothing changes in the queue). */
async function within<T>(request: Promise<T>, ms: number | undefined): Promise<T | null> {
  if (ms === undefined) return request;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([request, late]);
  } finally {
    clearTimeout(timer);
  }
}

const TIMEOUT_HELP = 'give up after this many seconds: exit 1 with a message (the item or queue goes on)';

export function registerQueueControlCommands(queue: Command): void {
  queue
    .command('remove')
    .description('remove a queued item (a running one is refused: use kill)')
    .addArgument(namesArgument('<id>', 'the item id', queueItemIds))
    .action(async (id: string, _options: unknown, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        await agent.connection.sendRequest(RemoveQueueItemRequest.type, { id });
        process.stdout.write(`removed ${id}\n`);
        return ExitCode.Ok;
      });
    });

  queue
    .command('kill')
    .description('remove a queued item, or kill a running one with its whole process tree (recorded killed, exit -9)')
    .addArgument(namesArgument('<id>', 'the item id', queueItemIds))
    .action(async (id: string, _options: unknown, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(KillQueueItemRequest.type, { id });
        process.stdout.write(result.was === 'queued' ? `removed ${id} (it was queued)\n` : `killed ${id}\n`);
        return ExitCode.Ok;
      });
    });

  queue
    .command('retry')
    .description('push a finished item again (same queue, command, cwd, env and --after dependencies) under a new id; prints it')
    .argument('<id>', 'the finished item')
    .option('--id <new>', 'the new id (default: generated)')
    .option('--after <id>', "wait for this item instead of the finished item's dependencies (repeat)", collect, [])
    .action(async (id: string, options: { id?: string; after: string[] }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(RetryQueueItemRequest.type, {
          id,
          ...(options.id ? { newId: options.id } : {}),
          ...(options.after.length > 0 ? { after: options.after } : {}),
        });
        process.stdout.write(`${result.id}\n`);
        return ExitCode.Ok;
      });
    });

  queue
    .command('move')
    .description('reorder a queued item: to the front (--first) or before another queued item (--before ID)')
    .addArgument(namesArgument('<id>', 'the queued item', queueItemIds))
    .option('--first', 'to the front of its queue')
    .option('--before <id2>', 'just before this queued item')
    .action(async (id: string, options: { first?: boolean; before?: string }, command: Command) => {
      if ((options.first === true) === (options.before !== undefined)) {
        process.exitCode = fail('give exactly one of --first and --before ID', ExitCode.Usage);
        return;
      }
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        await agent.connection.sendRequest(
          MoveQueueItemRequest.type,
          options.first ? { id, first: true } : { id, before: options.before! },
        );
        return ExitCode.Ok;
      });
    });

  for (const [verb, type, description] of [
    ['pause', PauseQueueRequest.type, 'nothing new starts in the queue; running items go on'],
    ['resume', ResumeQueueRequest.type, 'let a paused queue start items again'],
  ] as const) {
    queue
      .command(verb)
      .description(description)
      .addArgument(namesArgument('<queue>', 'the queue', queueNames))
      .action(async (name: string, _options: unknown, command: Command) => {
        process.exitCode = await withAgent(globalOptions(command), async (agent) => {
          const summary = await agent.connection.sendRequest(type, { queue: name });
          process.stdout.write(`queue ${summary.name}: ${queueSummaryDescription(summary)}\n`);
          return ExitCode.Ok;
        });
      });
  }

  queue
    .command('clear')
    .description('remove every queued item of a queue (running ones go on)')
    .addArgument(namesArgument('<queue>', 'the queue', queueNames))
    .action(async (name: string, _options: unknown, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const result = await agent.connection.sendRequest(ClearQueueRequest.type, { queue: name });
        process.stdout.write(`removed ${counted(result.removed, 'queued item')}\n`);
        return ExitCode.Ok;
      });
    });

  queue
    .command('wait')
    .description("wait for an item's end and print its record (exit 0 for state 2, 1 for -1); --start: print its pid once it runs")
    .addArgument(namesArgument('<id>', 'the item id', queueItemIds))
    .option('--start', 'return once it started (at once if it already ran), printing its pid')
    .option('--timeout <seconds>', TIMEOUT_HELP, timeoutOption)
    .option('--json', 'print the record as JSON')
    .action(async (id: string, options: { start?: boolean; timeout?: number }, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const item = await within(
          agent.connection.sendRequest(WaitQueueItemRequest.type, { id, ...(options.start ? { start: true } : {}) }),
          options.timeout,
        );
        if (item === null)
          return fail(`item '${id}' did not ${options.start ? 'start' : 'end'} within ${options.timeout! / 1000} s (it goes on)`);
        if (options.start) {
          if (global.json) printJson(processQueueRecord(item));
          else process.stdout.write(`${item.pid ?? '-'}\n`);
          return item.state === -1 && item.pid === null ? ExitCode.Failure : ExitCode.Ok;
        }
        if (global.json) printJson(processQueueRecord(item));
        else process.stdout.write(`${queueItemDetails(item).join('\n')}\n`);
        return item.state === 2 ? ExitCode.Ok : ExitCode.Failure;
      });
    });

  queue
    .command('wait-empty')
    .description('wait until nothing is queued or running in a queue (items pushed meanwhile count)')
    .addArgument(namesArgument('<queue>', 'the queue', queueNames))
    .option('--timeout <seconds>', TIMEOUT_HELP, timeoutOption)
    .action(async (name: string, options: { timeout?: number }, command: Command) => {
      process.exitCode = await withAgent(globalOptions(command), async (agent) => {
        const done = await within(
          agent.connection.sendRequest(WaitQueueEmptyRequest.type, { queue: name }).then(() => true),
          options.timeout,
        );
        if (done === null) return fail(`queue '${name}' was not empty within ${options.timeout! / 1000} s (it goes on)`);
        return ExitCode.Ok;
      });
    });
}
