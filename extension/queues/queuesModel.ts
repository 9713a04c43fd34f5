/**
 * What the Queues view shows, kept in step with the agent: each queue's
 * summary, its running and queued items in order, and the pages of history
 * read so far. A pushed delta on the `queues` topic makes it read the lists
 * again (coalesced: one read in flight, one more after it when deltas came
 * meanwhile). Only type imports from 'vscode'.
 */
import { ListQueuesRequest, QueueHistoryRequest, QueueItemsRequest, type QueueItem, type QueueSummary } from '../../agent/queues/protocol';
import type { AgentApi } from '../shared/agentApi';
import { PartModel } from '../shared/partModel';
import { CoalescedReads } from '../shared/coalescedReads';
import { endedItem, type QueueNode } from './queueNodes';

/** History rows per page (the first read and each "Show more"). */
export const QUEUE_HISTORY_PAGE = 10;

export interface QueueHistoryPages {
  readonly items: readonly QueueItem[];
  readonly nextCursor: string | null;
}

export class QueuesModel extends PartModel {
  queues: readonly QueueSummary[] = [];
  /** Running then queued items, by queue. */
  items = new Map<string, readonly QueueItem[]>();
  history = new Map<string, QueueHistoryPages>();
  /** History pages asked for per queue (grows with "Show more"). */
  private readonly historyPages = new Map<string, number>();
  loaded = false;
  /** Agent clock minus ours, from the last read. */
  private skew = 0;
  private readonly reads = new CoalescedReads(() => this.read());

  constructor(
    private readonly agent: AgentApi,
    private readonly onError: (message: string) => void,
  ) {
    super();
    this.disposables.push(
      agent.onPartChanged('queues', () => void this.refresh()),
      agent.onDidChangeState(() => void this.refresh()),
    );
    void this.refresh();
  }

  item(id: string): QueueItem | undefined {
    for (const items of this.items.values()) {
      const found = items.find((item) => item.id === id);
      if (found) return found;
    }
    for (const pages of this.history.values()) {
      const found = pages.items.find((item) => item.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** The item a row of the view stands for: a live one, or one run in its queue's history. */
  itemOf(node: Extract<QueueNode, { kind: 'item' | 'ended' }>): QueueItem | undefined {
    if (node.kind === 'ended') return endedItem(this.history.get(node.queue)?.items ?? [], node);
    for (const items of this.items.values()) {
      const found = items.find((item) => item.id === node.id);
      if (found) return found;
    }
    return undefined;
  }

  /** The agent's clock now, as well as we know it. */
  agentNow(): number {
    return Date.now() + this.skew;
  }

  /** Reads everything again; resolves once the model holds the agent's state as of this call. */
  refresh(): Promise<void> {
    return this.reads.run();
  }

  /** Reads one more page of a queue's history. */
  async showMoreHistory(queue: string): Promise<void> {
    this.historyPages.set(queue, (this.historyPages.get(queue) ?? 1) + 1);
    await this.refresh();
  }

  private async read(): Promise<void> {
    if (this.agent.state.kind !== 'running') {
      if (this.loaded) {
        this.loaded = false;
        this.queues = [];
        this.items = new Map();
        this.history = new Map();
        this.emit();
      }
      return;
    }
    try {
      const list = await this.agent.request(ListQueuesRequest.type, {});
      const live = await this.agent.request(QueueItemsRequest.type, {});
      const history = new Map<string, QueueHistoryPages>();
      for (const queue of list.queues) {
        const pages = this.historyPages.get(queue.name) ?? 1;
        const page = await this.agent.request(QueueHistoryRequest.type, { queue: queue.name, limit: pages * QUEUE_HISTORY_PAGE });
        history.set(queue.name, { items: page.items, nextCursor: page.nextCursor });
      }
      const items = new Map<string, QueueItem[]>();
      for (const item of live.items) {
        const list = items.get(item.queue) ?? [];
        list.push(item);
        items.set(item.queue, list);
      }
      this.skew = list.now - Date.now();
      this.queues = list.queues;
      this.items = items;
      this.history = history;
      this.loaded = true;
      this.emit();
    } catch (error: unknown) {
      this.onError(`Taskwarden could not read the queues: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
