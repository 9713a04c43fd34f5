/**
 * The rows of the Process Groups view: a group (its state), its clock (next
 * round countdown, rounds, uptime), its tasklets in run order (what each did this round,
 * its duration, its last error, with the label in red while it failed), and
 * a "Params" node with one row per live param. Words from groupFormat.ts.
 */
import * as vscode from 'vscode';
import { formatTaskletDuration, type GroupSummary, type JsonValue, type TaskletStatus } from '../../agent/groups/protocol';
import type { Look } from '../../agent/protocol/look';
import {
  formatParamValue,
  formatRounds,
  groupDescription,
  groupLook,
  scheduleDescription,
  scheduleLabel,
  taskletDescription,
  taskletFailed,
  taskletLook,
} from './groupFormat';
import { failedTaskletUri } from './taskletDecorations';

export type GroupNode =
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'schedule'; readonly group: string }
  | { readonly kind: 'tasklet'; readonly group: string; readonly name: string }
  | { readonly kind: 'params'; readonly group: string }
  | { readonly kind: 'param'; readonly group: string; readonly key: string };

/** A node's stable id (VS Code keeps expansion and selection by it). */
export function groupNodeId(node: GroupNode): string {
  switch (node.kind) {
    case 'group':
      return `group:${node.group}`;
    case 'schedule':
      return `schedule:${node.group}`;
    case 'tasklet':
      return `tasklet:${node.group}/${node.name}`;
    case 'params':
      return `params:${node.group}`;
    case 'param':
      return `param:${node.group}/${node.key}`;
  }
}

function themeIcon(look: Look): vscode.ThemeIcon {
  return new vscode.ThemeIcon(look.icon, look.color === null ? undefined : new vscode.ThemeColor(look.color));
}

/** Everything about a group but its clock, for its row's hover. */
export function groupTooltip(group: GroupSummary): string {
  const facts = [
    `a round every ${group.intervalSeconds}s, time limit ${group.timeLimitSeconds}s`,
    `tasklets: ${group.tasklets}${group.language ? ` (${group.language})` : ''}`,
    `folder: ${group.folder}`,
    `params: ${group.paramsFile ?? 'none'}`,
  ];
  if (group.pid !== null) facts.push(`runner pid: ${group.pid}`);
  for (const problem of group.problems) facts.push(`${problem.severity}: ${problem.message}`);
  return `${group.name}: ${groupLook(group).label}\n${facts.join('\n')}`;
}

export function groupTreeItem(group: GroupSummary): vscode.TreeItem {
  const row = new vscode.TreeItem(group.name, vscode.TreeItemCollapsibleState.Expanded);
  row.id = groupNodeId({ kind: 'group', group: group.name });
  row.description = groupDescription(group);
  row.iconPath = themeIcon(groupLook(group));
  // package.json's menus read the state from it: Start when stopped, Stop when active, Run Round Now unless broken.
  row.contextValue = `group.${group.state}`;
  row.tooltip = groupTooltip(group);
  row.accessibilityInformation = { label: `group ${group.name}: ${row.description}` };
  return row;
}

/** The group's clock: the countdown to its next round and its uptime, the one row that ticks. */
export function scheduleTreeItem(group: GroupSummary, now: number): vscode.TreeItem {
  const row = new vscode.TreeItem(scheduleLabel(group, now), vscode.TreeItemCollapsibleState.None);
  row.id = groupNodeId({ kind: 'schedule', group: group.name });
  row.description = scheduleDescription(group, now);
  row.iconPath = new vscode.ThemeIcon(group.roundInProgress !== null ? 'loading~spin' : 'watch');
  row.contextValue = 'groupSchedule';
  const facts = [`${formatRounds(group.rounds)} so far`];
  if (group.lastRoundAt !== null) facts.push(`last round: ${new Date(group.lastRoundAt).toLocaleTimeString()}`);
  if (group.nextRoundAt !== null) facts.push(`next round: ${new Date(group.nextRoundAt).toLocaleTimeString()}`);
  row.tooltip = facts.join('\n');
  return row;
}

function taskletHover(group: string, tasklet: TaskletStatus): vscode.MarkdownString {
  const hover = new vscode.MarkdownString();
  hover.appendMarkdown(`**${tasklet.name}** in group \`${group}\` — ${taskletLook(tasklet).label}\n\n`);
  if (tasklet.description) hover.appendText(`${tasklet.description}\n\n`);
  const when = (at: number): string => (at === 0 ? 'never' : new Date(at).toLocaleString());
  const facts = [`priority: ${tasklet.priority} (${tasklet.prioritySource})`];
  if (tasklet.hasMatch) facts.push(`last match: ${when(tasklet.lastMatchAt)}`);
  facts.push(`last run: ${when(tasklet.lastRunAt)}`);
  if (tasklet.lastDurationMs !== null) facts.push(`duration: ${formatTaskletDuration(tasklet.lastDurationMs)}`);
  hover.appendText(facts.join('\n'));
  if (tasklet.lastError) {
    hover.appendMarkdown('\n\n**Last error**\n');
    hover.appendCodeblock([tasklet.lastError.message, ...tasklet.lastError.stack].join('\n').trim(), 'text');
  }
  return hover;
}

export function taskletTreeItem(group: string, tasklet: TaskletStatus): vscode.TreeItem {
  const node: GroupNode = { kind: 'tasklet', group, name: tasklet.name };
  const row = new vscode.TreeItem(tasklet.name, vscode.TreeItemCollapsibleState.None);
  row.id = groupNodeId(node);
  row.description = taskletDescription(tasklet);
  row.iconPath = themeIcon(taskletLook(tasklet));
  const failed = taskletFailed(tasklet);
  // The label turns red through a file decoration on this URI (taskletDecorations.ts).
  if (failed) row.resourceUri = failedTaskletUri(group, tasklet.name);
  row.contextValue = failed ? 'tasklet.failed' : 'tasklet.ok';
  row.tooltip = taskletHover(group, tasklet);
  row.command = { command: 'taskwarden.openTasklet', title: 'Open Tasklet', arguments: [node] };
  row.accessibilityInformation = { label: `tasklet ${tasklet.name}: ${row.description}` };
  return row;
}

export function paramsTreeItem(group: string, count: number): vscode.TreeItem {
  const row = new vscode.TreeItem('Params', vscode.TreeItemCollapsibleState.Collapsed);
  row.id = groupNodeId({ kind: 'params', group });
  row.description = `${count} ${count === 1 ? 'key' : 'keys'}`;
  row.iconPath = new vscode.ThemeIcon('symbol-namespace');
  row.contextValue = 'groupParams';
  row.tooltip = `The live params of ${group}: shared along the chain of tasklets and kept across rounds`;
  return row;
}

export function paramTreeItem(group: string, key: string, value: JsonValue | undefined): vscode.TreeItem {
  const row = new vscode.TreeItem(key, vscode.TreeItemCollapsibleState.None);
  row.id = groupNodeId({ kind: 'param', group, key });
  row.description = formatParamValue(value);
  row.iconPath = new vscode.ThemeIcon(Array.isArray(value) ? 'symbol-array' : 'symbol-field');
  row.contextValue = 'groupParam';
  row.tooltip = new vscode.MarkdownString().appendCodeblock(JSON.stringify(value, null, 2) ?? 'undefined', 'json');
  row.accessibilityInformation = { label: `param ${key}: ${row.description}` };
  return row;
}
