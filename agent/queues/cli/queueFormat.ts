/**
 * How `queue list` and `history` print items for a person (`show` prints queueItemDetails).
 */
import { describeQueueExit, queueCommandLine, queueItemLook } from '../protocol';
import type { QueueItem } from '../protocol';
import { formatDuration } from '../../protocol/durations';

export const QUEUE_ITEM_HEADER = ['QUEUE', 'ID', 'STATE', 'PID', 'TIME', 'EXIT', 'COMMAND'] as const;

export function queueItemRow(item: QueueItem, now: number): string[] {
  const time = item.timeStart === null ? '-' : formatDuration((item.timeEnd ?? now) - item.timeStart);
  return [
    item.queue,
    item.id,
    queueItemLook(item).label,
    item.pid === null ? '-' : String(item.pid),
    time,
    item.state === 0 || item.state === 1 ? '-' : describeQueueExit(item),
    queueCommandLine(item.cmd),
  ];
}
