/**
 * `queue list [QUEUE]`, `queue show ID`, `queue history [QUEUE] [--limit N]`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { globalOptions, withAgent } from '../../cli/globalOptions';
import { ExitCode, printJson, printTable } from '../../cli/output';
import { queueSummaryDescription } from '../protocol';
import { ListQueuesRequest, QueueHistoryRequest, QueueItemsJsonRequest, QueueItemsRequest, ShowQueueItemRequest } from '../protocol';
import { processQueueRecord, queueItemDetails } from '../protocol';
import { PreEncodedJson } from '../../protocol/preEncoded';
import { QUEUE_ITEM_HEADER, queueItemRow } from './queueFormat';
import { namesArgument } from '../../cli/completion/argumentNames';
import { queueItemIds, queueNames } from './queueNames';

/** The human list shows this many queued items per queue unless --all. */
const LIST_DEFAULT = 50;

function positive(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`expected a positive integer, not '${text}'`);
  return value;
}

export function registerQueueReadCommands(queue: Command): void {
  queue
    .command('list')
    .description('queued and running items per queue, in order (the human list shows the first 50 queued; --all for every one)')
    .addArgument(namesArgument('[queue]', 'only this queue', queueNames))
    .option('--all', 'every queued item')
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, options: { all?: boolean }, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        if (global.json) {
          const items: unknown = await agent.connection.sendRequest(QueueItemsJsonRequest.type, name === undefined ? {} : { queue: name });
          process.stdout.write(items instanceof PreEncodedJson ? items.bytes : JSON.stringify(items));
          process.stdout.write('\n');
          return ExitCode.Ok;
        }
        const [list, items] = await Promise.all([
          agent.connection.sendRequest(ListQueuesRequest.type, {}),
          agent.connection.sendRequest(QueueItemsRequest.type, {
            ...(name === undefined ? {} : { queue: name }),
            ...(options.all ? {} : { limit: LIST_DEFAULT }),
          }),
        ]);
        for (const summary of list.queues) {
          if (name !== undefined && summary.name !== name) continue;
          process.stdout.write(`queue ${summary.name}: ${queueSummaryDescription(summary)}\n`);
        }
        if (items.items.length > 0)
          printTable(
            QUEUE_ITEM_HEADER,
            items.items.map((item) => queueItemRow(item, items.now)),
          );
        for (const [queueName, total] of Object.entries(items.queuedTotal)) {
          const shown = items.items.filter((item) => item.queue === queueName && item.state === 0).length;
          if (shown < total) process.stdout.write(`… and ${total - shown} more queued in ${queueName} (--all to list them)\n`);
        }
        return ExitCode.Ok;
      });
    });

  queue
    .command('show')
    .description("an item's full record (from the history once finished)")
    .addArgument(namesArgument('<id>', 'the item id', queueItemIds))
    .option('--json', 'print as JSON')
    .action(async (id: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const item = await agent.connection.sendRequest(ShowQueueItemRequest.type, { id });
        if (global.json) printJson(processQueueRecord(item));
        else process.stdout.write(`${queueItemDetails(item).join('\n')}\n`);
        return ExitCode.Ok;
      });
    });

  queue
    .command('history')
    .description('finished items, most recent first')
    .addArgument(namesArgument('[queue]', 'only this queue', queueNames))
    .option('--limit <n>', 'at most this many (default 50)', positive)
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, options: { limit?: number }, command: Command) => {
      const global = globalOptions(command);
      process.exitCode = await withAgent(global, async (agent) => {
        const page = await agent.connection.sendRequest(QueueHistoryRequest.type, {
          ...(name === undefined ? {} : { queue: name }),
          ...(options.limit === undefined ? {} : { limit: options.limit }),
        });
        if (global.json) printJson(page.items.map(processQueueRecord));
        else if (page.items.length === 0) process.stdout.write('no finished item\n');
        else
          printTable(
            QUEUE_ITEM_HEADER,
            page.items.map((item) => queueItemRow(item, Date.now())),
          );
        return ExitCode.Ok;
      });
    });
}
