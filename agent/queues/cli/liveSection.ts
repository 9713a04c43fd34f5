/**
 * The queues' section of `taskwarden watch`: one line per queue with its counts,
 * then its running items.
 */
import { formatTable } from '../../cli/output';
import type { LiveSection } from '../../core/part';
import { queueSummaryDescription } from '../protocol';
import { ListQueuesRequest, QueueItemsRequest } from '../protocol';
import { QUEUE_ITEM_HEADER, queueItemRow } from './queueFormat';

export const queuesLiveSection: LiveSection = {
  name: 'queues',
  async read(connection) {
    const [list, items] = await Promise.all([
      connection.sendRequest(ListQueuesRequest.type, {}),
      connection.sendRequest(QueueItemsRequest.type, { limit: 5 }),
    ]);
    const lines = list.queues.map((queue) => `queue ${queue.name}: ${queueSummaryDescription(queue)}`);
    if (items.items.length > 0)
      lines.push(
        ...formatTable(
          QUEUE_ITEM_HEADER,
          items.items.map((item) => queueItemRow(item, items.now)),
        ),
      );
    return { lines, data: { queues: list.queues, items: items.items } };
  },
};
