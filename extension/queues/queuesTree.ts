/**
 * The TreeDataProvider of the Queues view. VS Code forgets a node's children
 * when the node is refreshed, so a redraw refreshes the whole tree only when
 * rows came, went or moved, and otherwise only the rows whose text changed;
 * a running item's elapsed time ticks once a second by refreshing that row
 * alone (nothing else), so a click on an inline action lands on a row that
 * is still there.
 */
import * as vscode from 'vscode';
import { queueItemDescription, queueSummaryDescription, type QueueSummary } from '../../agent/protocol';
import { queueColor } from './queueTreeItems';
import type { QueuesModel } from './queuesModel';
import type { ViewOrdering } from '../shared/viewOrdering';
import { itemTreeItem, queueNodeId, queueTreeItem, recentTreeItem, showMoreTreeItem, type QueueNode } from './queueTreeItems';

const TICK_MS = 1000;

export class QueuesTreeProvider implements vscode.TreeDataProvider<QueueNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<QueueNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One object per node id: VS Code finds a node to refresh by identity. */
  private readonly nodes = new Map<string, QueueNode>();
  /** The rows drawn last: their order (structure) and each row's text. */
  private drawnShape = '';
  private drawnText = new Map<string, string>();
  private tickTimer: NodeJS.Timeout | undefined;
  private visible = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly model: QueuesModel,
    private readonly ordering: Pick<ViewOrdering, 'apply'>,
  ) {
    this.stopListening = model.onChange(() => this.redraw());
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
    this.drawnShape = '';
    this.redraw();
  }

  getTreeItem(node: QueueNode): vscode.TreeItem {
    const now = this.model.agentNow();
    switch (node.kind) {
      case 'queue': {
        const queue = this.model.queues.find((candidate) => candidate.name === node.queue);
        return queue ? queueTreeItem(queue) : new vscode.TreeItem(node.queue);
      }
      case 'item': {
        const item = this.model.item(node.id);
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
        const rows: QueueNode[] = (this.model.items.get(node.queue) ?? []).map((item) => this.node({ kind: 'item', id: item.id }));
        if ((this.model.history.get(node.queue)?.items.length ?? 0) > 0) rows.push(this.node({ kind: 'recent', queue: node.queue }));
        return rows;
      }
      case 'recent': {
        const pages = this.model.history.get(node.queue);
        const rows: QueueNode[] = (pages?.items ?? []).map((item) => this.node({ kind: 'item', id: item.id }));
        if (pages?.nextCursor) rows.push(this.node({ kind: 'showMore', queue: node.queue }));
        return rows;
      }
      case 'item':
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
        const item = this.model.item(node.id);
        if (!item) return undefined;
        const live = item.state === 0 || item.state === 1;
        return this.node(live ? { kind: 'queue', queue: item.queue } : { kind: 'recent', queue: item.queue });
      }
    }
  }

  /** The view was shown or hidden: elapsed times tick only while it is seen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.updateTicker();
  }

  private node(node: QueueNode): QueueNode {
    const id = queueNodeId(node);
    const known = this.nodes.get(id);
    if (known) return known;
    this.nodes.set(id, node);
    return node;
  }

  /** Every row's id in tree order (the shape) and its text, as the model stands. */
  private snapshot(): { shape: string; text: Map<string, string> } {
    const now = this.model.agentNow();
    const ids: string[] = [];
    const text = new Map<string, string>();
    for (const queue of this.orderedQueues()) {
      ids.push(`queue:${queue.name}`);
      text.set(`queue:${queue.name}`, `${queueSummaryDescription(queue)}|${queue.workdir}|${queue.concurrency}`);
      for (const item of this.model.items.get(queue.name) ?? []) {
        ids.push(`item:${item.id}`);
        text.set(`item:${item.id}`, `${item.state}|${queueItemDescription(item, now)}|${item.stderr}`);
      }
      const pages = this.model.history.get(queue.name);
      ids.push(`recent:${queue.name}:${pages?.nextCursor ? 'more' : ''}`);
      for (const item of pages?.items ?? []) {
        ids.push(`history:${item.id}`);
        text.set(`item:${item.id}`, `${item.state}|${queueItemDescription(item, now)}`);
      }
    }
    return { shape: ids.join('\n'), text };
  }

  private redraw(): void {
    const { shape, text } = this.snapshot();
    if (shape !== this.drawnShape) {
      // Rows came, went or moved: redraw all, with fresh node objects so the cache never outgrows the tree.
      this.nodes.clear();
      this.changed.fire(undefined);
    } else {
      for (const [id, words] of text) {
        if (this.drawnText.get(id) === words) continue;
        const node = this.nodes.get(id);
        if (node) this.changed.fire(node);
      }
    }
    this.drawnShape = shape;
    this.drawnText = text;
    this.updateTicker();
  }

  private running(): QueueNode[] {
    const rows: QueueNode[] = [];
    for (const items of this.model.items.values()) {
      for (const item of items) {
        const node = item.state === 1 ? this.nodes.get(`item:${item.id}`) : undefined;
        if (node) rows.push(node);
      }
    }
    return rows;
  }

  /** Runs the one-second timer only while the view is visible and items run. */
  private updateTicker(): void {
    const wanted = this.visible && [...this.model.items.values()].some((items) => items.some((item) => item.state === 1));
    if (wanted && this.tickTimer === undefined) {
      this.tickTimer = setInterval(() => {
        for (const node of this.running()) this.changed.fire(node);
      }, TICK_MS);
    } else if (!wanted && this.tickTimer !== undefined) {
      clearInterval(this.tickTimer);
      this.tickTimer = undefined;
    }
  }

  dispose(): void {
    this.stopListening();
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.changed.dispose();
  }
}
