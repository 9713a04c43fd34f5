/**
 * The TreeDataProvider of the Tasks view: live tasks at the top (their feedback
 * keys below them), then a History node with the loaded runs and "Load more…".
 * It redraws from the TasksModel's changes (pushed deltas, never a poll) and,
 * while running tasks are on screen, re-renders their elapsed time once a
 * second (local rendering only: no request to the agent).
 */
import * as vscode from 'vscode';
import { nodeId, treeItemOf, type TaskNode } from './taskTreeItems';
import type { TasksChange, TasksModel } from './tasksModel';
import { stateLook, taskLabel } from './taskFormat';
import type { ViewOrdering } from '../shared/viewOrdering';

/** Changes are drawn at most this often, so a burst of deltas costs one redraw. */
const REDRAW_DELAY_MS = 50;
const TICK_MS = 1000;

export class TasksTreeProvider implements vscode.TreeDataProvider<TaskNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TaskNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One object per node id: VS Code finds a node to refresh by identity. */
  private readonly nodes = new Map<string, TaskNode>();
  private pendingIds = new Set<number>();
  private pendingStructural = false;
  private redrawTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private visible = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly model: TasksModel,
    private readonly ordering: Pick<ViewOrdering, 'apply' | 'movesOnStateChange'>,
  ) {
    this.stopListening = model.onChange((change) => this.schedule(change));
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    return treeItemOf(node, this.model, this.model.agentNow()) ?? new vscode.TreeItem('…');
  }

  getChildren(node?: TaskNode): TaskNode[] {
    if (!this.model.loaded) return [];
    if (node === undefined) {
      // Config order is launch order here: tasks are launched, not configured.
      const tasks = this.ordering.apply(this.model.tasks, (task) => ({
        name: taskLabel(task),
        configIndex: task.id,
        color: stateLook(task.state).color,
      }));
      const rows: TaskNode[] = tasks.map((task) => this.node({ kind: 'task', id: task.id }));
      if (this.model.historyTotal > 0 || this.model.history.length > 0) rows.push(this.node({ kind: 'history' }));
      return rows;
    }
    switch (node.kind) {
      case 'task':
        return Object.keys(this.model.task(node.id)?.feedback ?? {}).map((key) =>
          this.node({ kind: 'feedbackKey', id: node.id, key, source: 'live' }),
        );
      case 'historyEntry':
        return Object.keys(this.model.historyEntry(node.id)?.feedback ?? {}).map((key) =>
          this.node({ kind: 'feedbackKey', id: node.id, key, source: 'history' }),
        );
      case 'history': {
        const rows: TaskNode[] = this.model.history.map((entry) => this.node({ kind: 'historyEntry', id: entry.id }));
        if (this.model.hasMoreHistory) rows.push(this.node({ kind: 'loadMore' }));
        return rows;
      }
      case 'feedbackKey':
      case 'loadMore':
        return [];
    }
  }

  getParent(node: TaskNode): TaskNode | undefined {
    switch (node.kind) {
      case 'feedbackKey':
        return this.node(node.source === 'live' ? { kind: 'task', id: node.id } : { kind: 'historyEntry', id: node.id });
      case 'historyEntry':
      case 'loadMore':
        return this.node({ kind: 'history' });
      case 'task':
      case 'history':
        return undefined;
    }
  }

  /** Redraws every row (the order changed). */
  redrawAll(): void {
    this.schedule({ structural: true, ids: [] });
  }

  /** The view was shown or hidden: elapsed times tick only while it is seen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.updateTicker();
  }

  private node(node: TaskNode): TaskNode {
    const id = nodeId(node);
    const known = this.nodes.get(id);
    if (known) return known;
    this.nodes.set(id, node);
    return node;
  }

  private schedule(change: TasksChange): void {
    // In state order a changed state may move the row: redraw the whole list.
    this.pendingStructural ||= change.structural || this.ordering.movesOnStateChange;
    for (const id of change.ids) this.pendingIds.add(id);
    this.redrawTimer ??= setTimeout(() => this.redraw(), REDRAW_DELAY_MS);
  }

  private redraw(): void {
    this.redrawTimer = undefined;
    if (this.pendingStructural) {
      // Rows came or went: start the node objects afresh so the cache never outgrows the tree
      // (VS Code keeps expansion by TreeItem id, not by object).
      this.nodes.clear();
      this.changed.fire(undefined);
    } else {
      for (const id of this.pendingIds) {
        const node = this.nodes.get(nodeId({ kind: 'task', id }));
        if (node) this.changed.fire(node);
      }
    }
    this.pendingStructural = false;
    this.pendingIds = new Set();
    this.updateTicker();
  }

  /** Runs the one-second timer only while the view is visible and has live tasks. */
  private updateTicker(): void {
    const wanted = this.visible && this.model.tasks.length > 0;
    if (wanted && this.tickTimer === undefined) {
      this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    } else if (!wanted && this.tickTimer !== undefined) {
      clearInterval(this.tickTimer);
      this.tickTimer = undefined;
    }
  }

  private tick(): void {
    for (const task of this.model.tasks) {
      const node = this.nodes.get(nodeId({ kind: 'task', id: task.id }));
      if (node) this.changed.fire(node);
    }
  }

  dispose(): void {
    this.stopListening();
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.changed.dispose();
  }
}
