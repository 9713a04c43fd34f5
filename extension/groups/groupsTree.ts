/**
 * The TreeDataProvider of the Process Groups view. VS Code forgets a node's
 * children when the node is refreshed, so a redraw refreshes the whole tree
 * only when rows came, went or moved, and otherwise only the rows whose text
 * changed (a param's value, a tasklet's outcome). While the view is visible
 * and a group runs, a one-second tick re-renders the groups' clock rows whose
 * text moved (next round countdown, uptime) and nothing else; the agent is
 * never asked again for it. The clock (with the rounds count, which moves as
 * often with a short interval) is a row of its own, under the group, and not
 * the group row's description: refreshing a group row makes VS Code
 * drop and fetch again every row below it (its tasklets and params), and a
 * click on one of them in that moment reaches its command without the row
 * (the daemons' lesson, see daemonsTreeProvider.ts).
 */
import * as vscode from 'vscode';
import {
  formatParamValue,
  groupDescription,
  groupLook,
  groupIsActive,
  scheduleDescription,
  scheduleLabel,
  taskletDescription,
} from './groupFormat';
import type { GroupsModel } from './groupsModel';
import {
  groupNodeId,
  groupTooltip,
  groupTreeItem,
  paramsTreeItem,
  paramTreeItem,
  scheduleTreeItem,
  taskletTreeItem,
  type GroupNode,
} from './groupTreeItems';
import type { GroupStatus, GroupSummary } from '../../agent/protocol';
import type { ViewOrdering } from '../shared/viewOrdering';

const TICK_MS = 1000;

/** What a clock row shows now. */
function scheduleText(group: GroupSummary, now: number): string {
  return `${scheduleLabel(group, now)}|${scheduleDescription(group, now)}|${group.lastRoundAt}|${group.nextRoundAt}`;
}

export class GroupsTreeProvider implements vscode.TreeDataProvider<GroupNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<GroupNode | GroupNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One object per node id: VS Code finds a node to refresh by identity. */
  private readonly nodes = new Map<string, GroupNode>();
  /** The rows drawn last: their order (structure) and each row's text. */
  private drawnShape = '';
  private drawnText = new Map<string, string>();
  private tickTimer: NodeJS.Timeout | undefined;
  private visible = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly model: GroupsModel,
    private readonly ordering: Pick<ViewOrdering, 'apply'>,
  ) {
    this.stopListening = model.onChange(() => this.redraw());
  }

  /** The groups in the view's order (config order: the agent's, the folders under `groups.root`). */
  private orderedGroups(): GroupStatus[] {
    return this.ordering.apply(this.model.groups, (group) => ({
      name: group.name,
      configIndex: this.model.groups.indexOf(group),
      color: groupLook(group).color,
    }));
  }

  /** Redraws every row (the order changed). */
  redrawAll(): void {
    this.drawnShape = '';
    this.redraw();
  }

  getTreeItem(node: GroupNode): vscode.TreeItem {
    const group = this.model.group(node.group);
    if (!group) return new vscode.TreeItem(node.group);
    switch (node.kind) {
      case 'group':
        return groupTreeItem(group);
      case 'schedule':
        return scheduleTreeItem(group, this.model.agentNow());
      case 'tasklet': {
        const tasklet = group.taskletStatus.find((candidate) => candidate.name === node.name);
        return tasklet ? taskletTreeItem(group.name, tasklet) : new vscode.TreeItem(node.name);
      }
      case 'params':
        return paramsTreeItem(group.name, Object.keys(this.model.params.get(group.name) ?? {}).length);
      case 'param':
        return paramTreeItem(group.name, node.key, this.model.params.get(group.name)?.[node.key]);
    }
  }

  getChildren(node?: GroupNode): GroupNode[] {
    if (!this.model.loaded) return [];
    if (node === undefined) return this.orderedGroups().map((group) => this.node({ kind: 'group', group: group.name }));
    switch (node.kind) {
      case 'group': {
        const group = this.model.group(node.group);
        if (!group) return [];
        return [
          this.node({ kind: 'schedule', group: group.name }),
          ...group.taskletStatus.map((tasklet) => this.node({ kind: 'tasklet', group: group.name, name: tasklet.name })),
          this.node({ kind: 'params', group: group.name }),
        ];
      }
      case 'params':
        return Object.keys(this.model.params.get(node.group) ?? {}).map((key) => this.node({ kind: 'param', group: node.group, key }));
      case 'schedule':
      case 'tasklet':
      case 'param':
        return [];
    }
  }

  getParent(node: GroupNode): GroupNode | undefined {
    switch (node.kind) {
      case 'group':
        return undefined;
      case 'schedule':
      case 'tasklet':
      case 'params':
        return this.node({ kind: 'group', group: node.group });
      case 'param':
        return this.node({ kind: 'params', group: node.group });
    }
  }

  /** The view was shown or hidden: countdowns tick only while it is seen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.updateTicker();
  }

  private node(node: GroupNode): GroupNode {
    const id = groupNodeId(node);
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
    const add = (node: GroupNode, words: string): void => {
      const id = groupNodeId(node);
      ids.push(id);
      text.set(id, words);
    };
    for (const group of this.orderedGroups()) {
      add({ kind: 'group', group: group.name }, `${groupDescription(group)}|${groupTooltip(group)}`);
      add({ kind: 'schedule', group: group.name }, scheduleText(group, now));
      for (const tasklet of group.taskletStatus) {
        add(
          { kind: 'tasklet', group: group.name, name: tasklet.name },
          `${taskletDescription(tasklet)}|${tasklet.lastRunAt}|${tasklet.lastMatchAt}|${tasklet.priority}|${tasklet.lastError?.stack.join('\n') ?? ''}`,
        );
      }
      const params = this.model.params.get(group.name) ?? {};
      add({ kind: 'params', group: group.name }, String(Object.keys(params).length));
      for (const [key, value] of Object.entries(params)) add({ kind: 'param', group: group.name, key }, formatParamValue(value));
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
      const moved = [...text].filter(([id, words]) => this.drawnText.get(id) !== words).flatMap(([id]) => this.nodes.get(id) ?? []);
      if (moved.length > 0) this.changed.fire(moved);
    }
    this.drawnShape = shape;
    this.drawnText = text;
    this.updateTicker();
  }

  /** Re-renders the clock rows whose countdown or uptime moved: leaves, so no other row is touched. */
  private tick(): void {
    const now = this.model.agentNow();
    const moved: GroupNode[] = [];
    for (const group of this.model.groups) {
      const id = groupNodeId({ kind: 'schedule', group: group.name });
      const words = scheduleText(group, now);
      if (this.drawnText.get(id) === words) continue;
      this.drawnText.set(id, words);
      const node = this.nodes.get(id);
      if (node) moved.push(node);
    }
    if (moved.length > 0) this.changed.fire(moved);
  }

  /** Runs the one-second timer only while the view is visible and a group runs. */
  private updateTicker(): void {
    const wanted = this.visible && this.model.groups.some(groupIsActive);
    if (wanted && this.tickTimer === undefined) {
      this.tickTimer = setInterval(() => this.tick(), TICK_MS);
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
