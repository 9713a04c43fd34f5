/**
 * Registers a tree for each of the five views. Parts with a view of their own
 * add it to VIEW_FACTORIES; the others get a placeholder whose welcome text says
 * what the view will hold.
 */
import * as vscode from 'vscode';
import type { PartName } from '../../agent/protocol';
import type { AgentApi } from '../agentApi';
import { createDaemonsView } from './daemonsView';
import { PlaceholderTreeProvider } from './placeholderView';
import { createTasksView } from './tasksView';

export type ViewFactory = (agent: AgentApi, context: vscode.ExtensionContext) => vscode.Disposable;

/** Filled in by the parts' views (daemons, tasks, …). */
export const VIEW_FACTORIES: Partial<Record<PartName, ViewFactory>> = {
  daemons: createDaemonsView,
  tasks: createTasksView,
};

export const VIEW_IDS: Record<PartName, string> = {
  daemons: 'taskwarden.daemons',
  tasks: 'taskwarden.tasks',
  groups: 'taskwarden.groups',
  jobs: 'taskwarden.jobs',
  queues: 'taskwarden.queues',
};

/** Empty trees for every view (a window without a folder): the welcome text asks for one. */
export function registerPlaceholderViews(): vscode.Disposable[] {
  return Object.values(VIEW_IDS).map((id) => vscode.window.createTreeView(id, { treeDataProvider: new PlaceholderTreeProvider() }));
}

export function registerViews(agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable[] {
  return (Object.keys(VIEW_IDS) as PartName[]).map((part) => {
    const factory = VIEW_FACTORIES[part];
    if (factory) return factory(agent, context);
    return vscode.window.createTreeView(VIEW_IDS[part], { treeDataProvider: new PlaceholderTreeProvider() });
  });
}
