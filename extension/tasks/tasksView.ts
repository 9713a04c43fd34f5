/**
 * The Tasks feature of the extension, as the view factory of `tasks`: one
 * TasksModel kept current by pushed deltas (TasksSync), the Tasks tree view
 * with a badge of live tasks, the feedback documents and the task commands.
 */
import * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import { registerTaskCommands } from './taskCommands';
import { createTaskOutputs } from './taskOutput';
import { registerFeedbackDocuments } from './feedbackDocument';
import { TasksModel } from './tasksModel';
import { TasksSync } from './tasksSync';
import { TasksTreeProvider } from './tasksTree';
import { listedContext } from '../shared/listedContext';
import { createPartTreeView, followModel } from '../shared/partTreeView';
import { watchResourcesWhileVisible } from '../shared/resourceWatch';

/** The Tasks view's id (package.json `views`). */
export const TASKS_VIEW_ID = 'taskwarden.tasks';

/** Creates the Tasks view and its commands; disposing it removes them all. */
export function createTasksView(agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable {
  const model = new TasksModel();
  const { treeView, disposable: view } = createPartTreeView({
    viewId: TASKS_VIEW_ID,
    orderCommand: 'taskwarden.orderTasks',
    context,
    tree: (ordering) => new TasksTreeProvider(model, ordering),
  });
  const feedback = registerFeedbackDocuments(agent, model);
  const outputs = createTaskOutputs(agent, model);
  const sync = new TasksSync(agent, model, { onError: (message) => void vscode.window.showErrorMessage(message) });

  const setListed = listedContext('taskwarden.tasksListed');
  const update = (): void => {
    const running = model.tasks.filter((task) => task.state !== 'RESERVED').length;
    treeView.badge = running > 0 ? { value: running, tooltip: `${running} running ${running === 1 ? 'task' : 'tasks'}` } : undefined;
    setListed(model.loaded);
  };

  return vscode.Disposable.from(
    view,
    feedback.disposable,
    outputs,
    sync,
    followModel(model, update),
    watchResourcesWhileVisible(agent, treeView, 'tasks'),
    ...registerTaskCommands({ agent, model, sync, feedback: feedback.documents, outputs, state: context.workspaceState }),
  );
}
