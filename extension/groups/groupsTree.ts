/**
 * The TreeDataProvider of the Process Groups view. It redraws through the
 * shared TreeRows: only the rows that changed (a param's value, a tasklet's
 * outcome), and while the view is visible and a group runs, once a second the
 * groups' clock rows whose text moved (next round countdown, uptime) and
 * nothing else; the agent is never asked again for it. The clock (with the rounds count, which moves as
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
import type { GroupStatus, GroupSummary } from '../../agent/groups/protocol';
import { TreeRows, type RowLook } from '../shared/treeRows';
import type { ViewOrdering } from '../shared/viewOrdering';

/** What a clock row shows now. */
function scheduleText(group: GroupSummary, now: number): string {
  return `${scheduleLabel(group, now)}|${scheduleDescription(group, now)}|${group.lastRoundAt}|${group.nextRoundAt}`;
}

export class GroupsTreeProvider implements vscode.TreeDataProvider<GroupNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<GroupNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly drawn: TreeRows<GroupNode> = new TreeRows(
    groupNodeId,
    {
      rows: () => this.rows(),
      ticking: () => this.model.groups.some(groupIsActive),
    },
    (nodes) => this.changed.fire(nodes),
  );
  private readonly stopListening: () => void;

  constructor(
    private readonly model: GroupsModel,
    private readonly ordering: Pick<ViewOrdering, 'apply'>,
  ) {
    this.stopListening = model.onChange(() => this.drawn.redraw());
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
    this.drawn.redrawAll();
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
    this.drawn.setVisible(visible);
  }

  private node(node: GroupNode): GroupNode {
    return this.drawn.node(node);
  }

  /** Every row as the model stands: groups, their clock, tasklets and params. */
  private *rows(): Iterable<RowLook> {
    const now = this.model.agentNow();
    for (const group of this.orderedGroups()) {
      const groupId = groupNodeId({ kind: 'group', group: group.name });
      yield { id: groupId, parent: null, text: `${groupDescription(group)}|${groupTooltip(group)}` };
      yield { id: groupNodeId({ kind: 'schedule', group: group.name }), parent: groupId, text: scheduleText(group, now) };
      for (const tasklet of group.taskletStatus)
        yield {
          id: groupNodeId({ kind: 'tasklet', group: group.name, name: tasklet.name }),
          parent: groupId,
          text: `${taskletDescription(tasklet)}|${tasklet.lastRunAt}|${tasklet.lastMatchAt}|${tasklet.priority}|${tasklet.lastError?.stack.join('\n') ?? ''}`,
        };
      const params = this.model.params.get(group.name) ?? {};
      const paramsId = groupNodeId({ kind: 'params', group: group.name });
      yield { id: paramsId, parent: groupId, text: String(Object.keys(params).length) };
      for (const [key, value] of Object.entries(params))
        yield { id: groupNodeId({ kind: 'param', group: group.name, key }), parent: paramsId, text: formatParamValue(value) };
    }
  }

  dispose(): void {
    this.stopListening();
    this.drawn.dispose();
    this.changed.dispose();
  }
}
