/**
 * The Daemons tree: the configured tasks in the view's order (config order by
 * default: those that run here and those that do not), each task that has
 * several instances with its instances below it (a task with one instance is
 * one row). It renders the DaemonsModel and refreshes only
 * the rows a change touched. Uptimes are re-rendered locally once a second
 * while the view is visible, and only the rows whose text changed: the agent
 * is never asked again.
 */
import * as vscode from 'vscode';
import { instanceDescription, skippedLook, taskDescription, taskLook } from '../../agent/daemons/protocol';
import type { DaemonNode } from './daemonTargets';
import type { DaemonsChange, DaemonsModel } from './daemonsModel';
import type { OrderKeys } from '../shared/itemOrder';
import type { ViewOrdering } from '../shared/viewOrdering';
import { instanceItem, nodeKey, shownInstances, skippedItem, taskItem } from './daemonTreeItems';

const TICK_MS = 1000;

/** The TreeDataProvider of the `taskwarden.daemons` view, rendering a DaemonsModel. */
export class DaemonsTreeProvider implements vscode.TreeDataProvider<DaemonNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DaemonNode | DaemonNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** One object per row, so VS Code can refresh a row by the element it was given. */
  private readonly nodes = new Map<string, DaemonNode>();
  /** The description each row was last rendered with, to refresh only rows whose uptime text moved. */
  private readonly rendered = new Map<string, string>();
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: DaemonsModel,
    private readonly ordering: Pick<ViewOrdering, 'apply' | 'movesOnStateChange'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Re-renders after a model change: the touched tasks, or everything. */
  refresh(change: DaemonsChange): void {
    // In state order a changed state may move the row: redraw the whole list.
    if (change.kind === 'all' || this.ordering.movesOnStateChange) {
      this.nodes.clear();
      this.rendered.clear();
      this.changeEmitter.fire(undefined);
      return;
    }
    const touched = change.names.flatMap((name) => (this.nodes.has(`task:${name}`) ? [this.node({ kind: 'task', name })] : []));
    if (touched.length > 0) this.changeEmitter.fire(touched);
  }

  /** Draws every row again (the order changed). */
  redrawAll(): void {
    this.refresh({ kind: 'all' });
  }

  /** Keeps uptimes current while the view is visible. */
  setVisible(visible: boolean): void {
    if (visible && !this.ticker) this.ticker = setInterval(() => this.tick(), TICK_MS);
    if (!visible && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /**
   * Re-renders the rows whose uptime text moved: an instance row by itself, a
   * task row only when its own text moved. Refreshing a task row makes VS Code
   * forget its instance rows until it asks for them again, and a click on an
   * instance row's action in that moment would reach the command without its
   * row (it would ask which daemon), so a ticking instance never refreshes its
   * parent.
   */
  private tick(): void {
    const now = this.now();
    const moved: DaemonNode[] = [];
    const differs = (key: string, text: string): boolean => this.rendered.has(key) && this.rendered.get(key) !== text;
    for (const task of this.model.tasks) {
      if (differs(`task:${task.name}`, taskDescription(task, now))) {
        // Its instance rows are re-rendered with it.
        moved.push(this.node({ kind: 'task', name: task.name }));
        continue;
      }
      for (const instance of shownInstances(task))
        if (differs(`instance:${instance.id}`, instanceDescription(instance, now)))
          moved.push(this.node({ kind: 'instance', id: instance.id, task: task.name }));
    }
    if (moved.length > 0) this.changeEmitter.fire(moved);
  }

  private node(node: DaemonNode): DaemonNode {
    const key = nodeKey(node);
    const known = this.nodes.get(key);
    if (known) return known;
    this.nodes.set(key, node);
    return node;
  }

  getChildren(element?: DaemonNode): DaemonNode[] {
    if (!this.model.loaded) return [];
    if (!element) {
      const rows: { node: DaemonNode; keys: OrderKeys }[] = [
        ...this.model.tasks.map((task) => ({
          node: this.node({ kind: 'task', name: task.name }),
          keys: { name: task.name, configIndex: task.configLine, color: taskLook(task).color },
        })),
        ...this.model.skipped.map((skipped) => ({
          node: this.node({ kind: 'skipped', name: skipped.name }),
          keys: { name: skipped.name, configIndex: skipped.configLine, color: skippedLook(skipped).color },
        })),
      ];
      return this.ordering.apply(rows, (row) => row.keys).map((row) => row.node);
    }
    if (element.kind !== 'task') return [];
    const task = this.model.task(element.name);
    return task ? shownInstances(task).map((instance) => this.node({ kind: 'instance', id: instance.id, task: task.name })) : [];
  }

  getParent(element: DaemonNode): DaemonNode | undefined {
    return element.kind === 'instance' ? this.node({ kind: 'task', name: element.task }) : undefined;
  }

  getTreeItem(element: DaemonNode): vscode.TreeItem {
    const now = this.now();
    const item = this.itemFor(element, now);
    if (typeof item.description === 'string') this.rendered.set(nodeKey(element), item.description);
    return item;
  }

  private itemFor(element: DaemonNode, now: number): vscode.TreeItem {
    switch (element.kind) {
      case 'task': {
        const task = this.model.task(element.name);
        if (task) return taskItem(element, task, now);
        break;
      }
      case 'instance': {
        const instance = this.model.instance(element.id);
        if (instance) return instanceItem(element, instance, now);
        break;
      }
      case 'skipped': {
        const skipped = this.model.skippedTask(element.name);
        if (skipped) return skippedItem(element, skipped);
        break;
      }
    }
    // A row the model no longer has, asked for in the moment before the tree refreshes.
    return new vscode.TreeItem(element.kind === 'instance' ? element.id : element.name);
  }

  dispose(): void {
    this.setVisible(false);
    this.changeEmitter.dispose();
  }
}
