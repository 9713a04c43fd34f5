/**
 * The rows of the Tasks view: what each kind of node is, and the TreeItem drawn
 * for it from the current TasksModel (state icon and color, name, info fields,
 * elapsed time, the text progress bar, feedback keys, history rows, "Load
 * more…"). Commands get these nodes as their argument when run from the view.
 */
import * as vscode from 'vscode';
import { formatBytes, formatCpu, formatDuration, resourcesLine } from '../../agent/protocol';
import { type TaskFeedbackValues, type TaskHistoryEntry, type TaskInfo } from '../../agent/tasks/protocol';
import { joinCommandLine } from './taskCommandLine';
import { describeEnd, feedbackProgress, historyLook, infoText, progressBar, stateLook, taskLabel, type IconLook } from './taskFormat';
import type { TasksModel } from './tasksModel';

/** A node of the Tasks tree. Nodes are plain data; the view keeps one object per node id. */
export type TaskNode =
  | { readonly kind: 'task'; readonly id: number }
  | { readonly kind: 'feedbackKey'; readonly id: number; readonly key: string; readonly source: 'live' | 'history' }
  | { readonly kind: 'history' }
  | { readonly kind: 'historyEntry'; readonly id: number }
  | { readonly kind: 'loadMore' };

/** Context values, matched by `viewItem` in package.json menus. */
export const CONTEXT = {
  running: 'task.running',
  runningWithFeedback: 'task.running.feedback',
  reserved: 'task.reserved',
  feedbackKey: 'task.feedbackKey',
  history: 'taskHistory.root',
  historyEntry: 'taskHistory.entry',
  historyEntryWithFeedback: 'taskHistory.entry.feedback',
  loadMore: 'taskHistory.more',
} as const;

/** The id VS Code keeps expansion state by. */
export function nodeId(node: TaskNode): string {
  switch (node.kind) {
    case 'task':
      return `task/${node.id}`;
    case 'feedbackKey':
      return `${node.source === 'live' ? 'task' : 'history'}/${node.id}/key/${node.key}`;
    case 'history':
      return 'history';
    case 'historyEntry':
      return `history/${node.id}`;
    case 'loadMore':
      return 'history/more';
  }
}

/** True for a node given to a command from the view. */
export function isTaskNode(value: unknown): value is TaskNode {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === 'task' || kind === 'feedbackKey' || kind === 'history' || kind === 'historyEntry' || kind === 'loadMore';
}

function themeIcon(look: IconLook): vscode.ThemeIcon {
  return new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
}

function hasKeys(feedback: TaskFeedbackValues | null): boolean {
  return feedback !== null && Object.keys(feedback).length > 0;
}

/** The TreeItem of `node`, or undefined when its task is gone (a refresh is on its way). */
export function treeItemOf(node: TaskNode, model: TasksModel, now: number): vscode.TreeItem | undefined {
  switch (node.kind) {
    case 'task': {
      const task = model.task(node.id);
      return task && liveTaskItem(task, now);
    }
    case 'feedbackKey': {
      const feedback = node.source === 'live' ? model.task(node.id)?.feedback : model.historyEntry(node.id)?.feedback;
      const value = feedback?.[node.key];
      return value === undefined ? undefined : feedbackKeyItem(node, value);
    }
    case 'history':
      return historyRootItem(model);
    case 'historyEntry': {
      const entry = model.historyEntry(node.id);
      return entry && historyEntryItem(entry);
    }
    case 'loadMore':
      return loadMoreItem(model);
  }
}

function liveTaskItem(task: TaskInfo, now: number): vscode.TreeItem {
  const item = new vscode.TreeItem(
    taskLabel(task),
    task.feedbackFile !== null ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = nodeId({ kind: 'task', id: task.id });
  item.iconPath = themeIcon(stateLook(task.state));
  // Most telling first: a narrow side bar cuts the description at its end.
  const parts: string[] = [];
  if (task.state === 'SILENT' || task.state === 'STALLED') parts.push(task.state.toLowerCase());
  const progress = feedbackProgress(task.feedback);
  if (progress !== null) parts.push(progressBar(progress));
  if (task.state === 'RESERVED') {
    parts.push(task.expiresAt === null ? 'reserved' : `reserved, expires in ${formatDuration(task.expiresAt - now + 999)}`);
  } else if (task.startedAt !== null) {
    parts.push(formatDuration(now - task.startedAt));
  }
  if (task.memoryBytes !== undefined && task.memoryBytes !== null)
    parts.push(`${formatCpu(task.cpuPercent)} CPU ${formatBytes(task.memoryBytes)}`);
  const info = infoText(task);
  if (info) parts.push(info);
  parts.push(`#${task.id}`);
  item.description = parts.join('  ');
  item.tooltip = liveTaskTooltip(task, now);
  item.contextValue =
    task.state === 'RESERVED' ? CONTEXT.reserved : task.feedbackFile !== null ? CONTEXT.runningWithFeedback : CONTEXT.running;
  item.accessibilityInformation = { label: `${taskLabel(task)}, task ${task.id}, ${task.state.toLowerCase()}, ${item.description}` };
  return item;
}

function liveTaskTooltip(task: TaskInfo, now: number): vscode.MarkdownString {
  const lines = [`**${escape(taskLabel(task))}** — task ${task.id}, ${task.state}`];
  if (task.argv) lines.push(`Command: ${code(joinCommandLine(task.argv))}`);
  if (task.pid !== null) lines.push(`pid ${task.pid}`);
  const resources = resourcesLine(task);
  if (resources) lines.push(`${resources} (process tree)`);
  if (task.startedAt !== null)
    lines.push(`Started ${new Date(task.startedAt).toLocaleTimeString()} (${formatDuration(now - task.startedAt)} ago)`);
  const info = infoText(task);
  if (info) lines.push(`Info: ${escape(info)}`);
  if (task.timeoutMs !== null) lines.push(`Timeout ${formatDuration(task.timeoutMs)}`);
  if (task.feedbackFile !== null) {
    const since = task.lastUpdateAt === null ? 'no update yet' : `last update ${formatDuration(now - task.lastUpdateAt)} ago`;
    lines.push(`Feedback: ${code(task.feedbackFile)} (${since})`);
  }
  if (task.deadlineAt !== null) lines.push(`Killed at ${new Date(task.deadlineAt).toLocaleTimeString()} if nothing changes`);
  return new vscode.MarkdownString(lines.join('  \n'));
}

function feedbackKeyItem(node: Extract<TaskNode, { kind: 'feedbackKey' }>, value: string): vscode.TreeItem {
  const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.description = value === '' ? '(empty)' : value;
  item.tooltip = `[${node.key}]${value}`;
  item.iconPath = new vscode.ThemeIcon('symbol-key');
  item.contextValue = CONTEXT.feedbackKey;
  return item;
}

function historyRootItem(model: TasksModel): vscode.TreeItem {
  const item = new vscode.TreeItem('History', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId({ kind: 'history' });
  item.iconPath = new vscode.ThemeIcon('history');
  const total = model.historyTotal;
  item.description = `${total} ${total === 1 ? 'run' : 'runs'}`;
  item.tooltip = 'Finished tasks, most recent first';
  item.contextValue = CONTEXT.history;
  return item;
}

function historyEntryItem(entry: TaskHistoryEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(
    taskLabel(entry),
    hasKeys(entry.feedback) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = nodeId({ kind: 'historyEntry', id: entry.id });
  item.iconPath = themeIcon(historyLook(entry));
  const parts = [describeEnd(entry), formatDuration(entry.durationMs)];
  const progress = feedbackProgress(entry.feedback);
  if (progress !== null) parts.push(progressBar(progress));
  const info = infoText(entry);
  if (info) parts.push(info);
  parts.push(`#${entry.id}`, `ended ${new Date(entry.end).toLocaleTimeString()}`);
  item.description = parts.join('  ');
  const lines = [`**${escape(taskLabel(entry))}** — task ${entry.id}: ${describeEnd(entry)}`];
  if (entry.error) lines.push(`Error: ${escape(entry.error)}`);
  lines.push(`Command: ${code(joinCommandLine(entry.argv))}`);
  lines.push(
    `${new Date(entry.start).toLocaleString()} → ${new Date(entry.end).toLocaleTimeString()} (${formatDuration(entry.durationMs)})`,
  );
  if (entry.feedback !== null) lines.push(`Final feedback: ${code(JSON.stringify(entry.feedback))}`);
  item.tooltip = new vscode.MarkdownString(lines.join('  \n'));
  item.contextValue = entry.feedback !== null ? CONTEXT.historyEntryWithFeedback : CONTEXT.historyEntry;
  return item;
}

function loadMoreItem(model: TasksModel): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
  item.id = nodeId({ kind: 'loadMore' });
  item.description = `${model.history.length} of ${model.historyTotal} shown`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = CONTEXT.loadMore;
  item.command = { command: 'taskwarden.loadMoreTaskHistory', title: 'Load More History' };
  return item;
}

/** Escapes Markdown in text shown in a tooltip. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** A Markdown code span around `text`, with a fence longer than any backquote run inside. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
}
