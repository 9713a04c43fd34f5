/**
 * The nodes of the Queues view and their ids (VS Code keeps expansion and selection by id, and
 * refuses two rows with one id). An id can be queued or running and also in the history, and
 * twice in the history (pushed again once it ended, or `retry --id` with the same id): a live
 * item's node is its id, a history row's node is one run of it (its id and time-queue).
 */
import type { QueueItem } from '../../agent/queues/protocol';

export type QueueNode =
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'item'; readonly id: string }
  | { readonly kind: 'ended'; readonly queue: string; readonly id: string; readonly timeQueue: number }
  | { readonly kind: 'recent'; readonly queue: string }
  | { readonly kind: 'showMore'; readonly queue: string };

/** A node's stable id. */
export function queueNodeId(node: QueueNode): string {
  switch (node.kind) {
    case 'item':
      return `item:${node.id}`;
    case 'ended':
      return `ended:${node.queue}:${node.timeQueue}:${node.id}`;
    case 'queue':
    case 'recent':
    case 'showMore':
      return `${node.kind}:${node.queue}`;
  }
}

/** The node of a queued or running item, or of one run in the history. */
export function itemNode(item: QueueItem): QueueNode {
  return item.state === 0 || item.state === 1
    ? { kind: 'item', id: item.id }
    : { kind: 'ended', queue: item.queue, id: item.id, timeQueue: item.timeQueue };
}

/** The history row a node names, among the rows read so far. */
export function endedItem(history: readonly QueueItem[], node: { readonly id: string; readonly timeQueue: number }): QueueItem | undefined {
  return history.find((item) => item.id === node.id && item.timeQueue === node.timeQueue);
}
