/**
 * Quick picks that choose a task when a task command runs from the palette
 * (from the view, the clicked row is the argument): live tasks, finished runs,
 * or task names. They read the TasksModel, which the pushed deltas keep current.
 */
import * as vscode from 'vscode';
import { formatDuration } from '../../agent/protocol';
import { type TaskHistoryEntry, type TaskInfo } from '../../agent/tasks/protocol';
import { describeEnd, feedbackProgress, historyLook, progressBar, stateLook, taskLabel } from './taskFormat';
import type { TasksModel } from './tasksModel';
import { joinCommandLine } from './taskCommandLine';

/** A task picked: live (reserved or running) or finished. */
export type PickedTask =
  { readonly kind: 'live'; readonly task: TaskInfo } | { readonly kind: 'history'; readonly entry: TaskHistoryEntry };

interface PickItem extends vscode.QuickPickItem {
  readonly pickedTask: PickedTask;
}

function liveItem(task: TaskInfo, now: number): PickItem {
  const progress = feedbackProgress(task.feedback);
  const parts = [`#${task.id}`, task.state.toLowerCase()];
  if (task.startedAt !== null) parts.push(formatDuration(now - task.startedAt));
  if (progress !== null) parts.push(progressBar(progress));
  return {
    label: `$(${stateLook(task.state).icon}) ${taskLabel(task)}`,
    description: parts.join('  '),
    detail: task.argv ? joinCommandLine(task.argv) : 'reserved, not launched yet',
    pickedTask: { kind: 'live', task },
  };
}

function historyItem(entry: TaskHistoryEntry): PickItem {
  return {
    label: `$(${historyLook(entry).icon}) ${taskLabel(entry)}`,
    description: `#${entry.id}  ${describeEnd(entry)}  ${formatDuration(entry.durationMs)}  ended ${new Date(entry.end).toLocaleTimeString()}`,
    detail: joinCommandLine(entry.argv),
    pickedTask: { kind: 'history', entry },
  };
}

export interface PickTaskOptions {
  readonly title: string;
  readonly placeHolder: string;
  /** Offer live tasks that pass this test. */
  readonly live?: (task: TaskInfo) => boolean;
  /** Offer loaded history runs that pass this test (none when absent). */
  readonly history?: (entry: TaskHistoryEntry) => boolean;
  /** Said when there is nothing to pick. */
  readonly nothing: string;
}

/** Lets the user pick a task; undefined when there is none or the pick was cancelled. */
export async function pickTask(model: TasksModel, options: PickTaskOptions): Promise<PickedTask | undefined> {
  const now = model.agentNow();
  const live = options.live ? model.tasks.filter(options.live).map((task) => liveItem(task, now)) : [];
  const history = options.history ? model.history.filter(options.history).map(historyItem) : [];
  if (live.length + history.length === 0) {
    void vscode.window.showInformationMessage(options.nothing);
    return undefined;
  }
  const items: (PickItem | vscode.QuickPickItem)[] = [];
  if (live.length > 0 && history.length > 0) items.push({ label: 'Running', kind: vscode.QuickPickItemKind.Separator });
  items.push(...live);
  if (history.length > 0) items.push({ label: 'History', kind: vscode.QuickPickItemKind.Separator }, ...history);
  const choice = await vscode.window.showQuickPick(items, {
    title: options.title,
    placeHolder: options.placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return choice && 'pickedTask' in choice ? choice.pickedTask : undefined;
}

/** Lets the user pick the name of live tasks (with how many run or are reserved under it). */
export async function pickTaskName(model: TasksModel, title: string): Promise<string | undefined> {
  const counts = new Map<string, { running: number; reserved: number }>();
  for (const task of model.tasks) {
    if (task.name === null) continue;
    const count = counts.get(task.name) ?? { running: 0, reserved: 0 };
    if (task.state === 'RESERVED') count.reserved += 1;
    else count.running += 1;
    counts.set(task.name, count);
  }
  if (counts.size === 0) {
    void vscode.window.showInformationMessage('No task is running or reserved.');
    return undefined;
  }
  const items = [...counts].map(([name, count]) => ({
    label: name,
    description: [count.running > 0 ? `${count.running} running` : '', count.reserved > 0 ? `${count.reserved} reserved` : '']
      .filter(Boolean)
      .join(', '),
  }));
  const choice = await vscode.window.showQuickPick(items, { title, placeHolder: 'Kill every task of this name' });
  return choice?.label;
}
