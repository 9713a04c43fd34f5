/**
 * The TreeDataProvider of the Queues view: queues, their items in order, and
 * their recent history. It redraws through the shared TreeRows (only the rows
 * that changed; a running item's elapsed time ticks by itself), so a click on
 * an inline action lands on a row that is still there.
 */
import * as vscode from 'vscode';
import { queueItemDescription, queueSummaryDescription, type QueueSummary } from '../../agent/queues/protocol';
import { queueColor } from './queueTreeItems';
import type { QueuesModel } from './queuesModel';
import { TreeRows, type RowLook } from '../shared/treeRows';
import type { ViewOrdering } from '../shared/viewOrdering';
import { itemNode, queueNodeId, type QueueNode } from './queueNodes';
import { itemTreeItem, queueTreeItem, recentTreeItem, showMoreTreeItem } from './queueTreeItems';

export class QueuesTreeProvider implements vscode.TreeDataProvider<QueueNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<QueueNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly drawn: TreeRows<QueueNode> = new TreeRows(
    queueNodeId,
    {
      rows: () => this.rows(),
      ticking: () => [...this.model.items.values()].some((items) => items.some((item) => item.state === 1)),
    },
    (nodes) => this.changed.fire(nodes),
  );
  private readonly stopListening: () => void;

  constructor(
    private readonly model: QueuesModel,
    private readonly ordering: Pick<ViewOrdering, 'apply'>,
  ) {
    this.stopListening = model.onChange(() => this.drawn.redraw());
  }

  /** The queues in the view's order (config order: the agent's). */
  private orderedQueues(): QueueSummary[] {
    return this.ordering.apply(this.model.queues, (queue) => ({
      name: queue.name,
      configIndex: this.model.queues.indexOf(queue),
      color: queueColor(queue),
    }));
  }

  /** Redraws every row (the order changed). */
  redrawAll(): void {
    this.drawn.redrawAll();
  }

  getTreeItem(node: QueueNode): vscode.TreeItem {
    const now = this.model.agentNow();
    switch (node.kind) {
      case 'queue': {
        const queue = this.model.queues.find((candidate) => candidate.name === node.queue);
        return queue ? queueTreeItem(queue) : new vscode.TreeItem(node.queue);
      }
      case 'item':
      case 'ended': {
        const item = this.model.itemOf(node);
        return item ? itemTreeItem(item, now) : new vscode.TreeItem(node.id);
      }
      case 'recent':
        return recentTreeItem(node.queue, this.model.history.get(node.queue)?.items.length ?? 0);
      case 'showMore':
        return showMoreTreeItem(node.queue);
    }
  }

  getChildren(node?: QueueNode): QueueNode[] {
    if (!this.model.loaded) return [];
    if (node === undefined) return this.orderedQueues().map((queue) => this.node({ kind: 'queue', queue: queue.name }));
    switch (node.kind) {
      case 'queue': {
        const rows: QueueNode[] = (this.model.items.get(node.queue) ?? []).map((item) => this.node(itemNode(item)));
        if ((this.model.history.get(node.queue)?.items.length ?? 0) > 0) rows.push(this.node({ kind: 'recent', queue: node.queue }));
        return rows;
      }
      case 'recent': {
        const pages = this.model.history.get(node.queue);
        const rows: QueueNode[] = (pages?.items ?? []).map((item) => this.node(itemNode(item)));
        if (pages?.nextCursor) rows.push(this.node({ kind: 'showMore', queue: node.queue }));
        return rows;
      }
      case 'item':
      case 'ended':
      case 'showMore':
        return [];
    }
  }

  getParent(node: QueueNode): QueueNode | undefined {
    switch (node.kind) {
      case 'queue':
        return undefined;
      case 'recent':
        return this.node({ kind: 'queue', queue: node.queue });
      case 'showMore':
        return this.node({ kind: 'recent', queue: node.queue });
      case 'item': {
        const item = this.model.itemOf(node);
        return item ? this.node({ kind: 'queue', queue: item.queue }) : undefined;
      }
      case 'ended':
        return this.node({ kind: 'recent', queue: node.queue });
    }
  }

  /** The view was shown or hidden: elapsed times tick only while it is seen. */
  setVisible(visible: boolean): void {
    this.drawn.setVisible(visible);
  }

  private node(node: QueueNode): QueueNode {
    return this.drawn.node(node);
  }

  /** Every row as the model stands: queues, their items, their recent history. */
  private *rows(): Iterable<RowLook> {
    const now = this.model.agentNow();
    for (const queue of this.orderedQueues()) {
      const queueId = queueNodeId({ kind: 'queue', queue: queue.name });
      yield { id: queueId, parent: null, text: `${queueSummaryDescription(queue)}|${queue.workdir}|${queue.concurrency}` };
      for (const item of this.model.items.get(queue.name) ?? [])
        yield {
          id: queueNodeId(itemNode(item)),
          parent: queueId,
          text: `${item.state}|${queueItemDescription(item, now)}|${item.stderr}`,
        };
      const pages = this.model.history.get(queue.name);
      if ((pages?.items.length ?? 0) === 0) continue;
      const recentId = queueNodeId({ kind: 'recent', queue: queue.name });
      yield { id: recentId, parent: queueId, text: String(pages?.items.length) };
      for (const item of pages?.items ?? [])
        yield {
          id: queueNodeId(itemNode(item)),
          parent: recentId,
          text: `${item.state}|${queueItemDescription(item, now)}`,
        };
      if (pages?.nextCursor) yield { id: queueNodeId({ kind: 'showMore', queue: queue.name }), parent: recentId, text: '' };
    }
  }

  dispose(): void {
    this.stopListening();
    this.drawn.dispose();
    this.changed.dispose();
  }
}
