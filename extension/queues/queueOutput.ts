/**
 * "Show Queue Item Output": a channel per item (extension/shared/runOutputs.ts),
 * like a task's: its output so far, then its live lines until it ends, stderr
 * marked, and notes when its state changes and how it ended.
 */
import { describeQueueExit, queueItemLook } from '../../agent/queues/protocol';
import type { AgentApi } from '../shared/agentApi';
import { RunOutputs } from '../shared/runOutputs';
import type { QueuesModel } from './queuesModel';

function stateWords(model: QueuesModel, id: string): string | null {
  const item = model.item(id);
  if (!item) return null;
  if (item.state === 0) return `item ${id} queued in ${item.queue}`;
  if (item.state === 1) return `item ${id} running${item.pid === null ? '' : `, pid ${item.pid}`}`;
  const exit = describeQueueExit(item);
  return `item ${id} ${queueItemLook(item).label}${exit ? `: ${exit}` : ''}`;
}

/** The queue item output channels of this window, by item id. */
export type QueueOutputs = RunOutputs<string>;

export function createQueueOutputs(agent: AgentApi, model: QueuesModel): QueueOutputs {
  return new RunOutputs(agent, {
    part: 'queues',
    keyPrefix: 'queue',
    title: (id) => `queue item ${id}`,
    stateWords: (id) => stateWords(model, id),
    onChange: (listener) => model.onChange(listener),
  });
}
