/**
 * The Queues feature of the extension, as the view factory of `queues`: one
 * QueuesModel kept current by the agent's pushes, the Queues tree view with a
 * badge of running items, the item output channels and the queue commands.
 */
import * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import { listedContext } from '../shared/listedContext';
import { ViewOrdering } from '../shared/viewOrdering';
import { registerQueueCommands } from './queueCommands';
import { createQueueOutputs } from './queueOutput';
import { QueuesModel } from './queuesModel';
import { QueuesTreeProvider } from './queuesTree';

/** The Queues view's id (package.json `views`). */
export const QUEUES_VIEW_ID = 'taskwarden.queues';

export function createQueuesView(agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable {
  const model = new QueuesModel(agent, (message) => void vscode.window.showErrorMessage(message));
  const ordering = new ViewOrdering({ viewId: QUEUES_VIEW_ID, command: 'taskwarden.orderQueues' }, context.workspaceState);
  const tree = new QueuesTreeProvider(model, ordering);
  const treeView = vscode.window.createTreeView(QUEUES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  ordering.showIn(treeView);
  tree.setVisible(treeView.visible);
  const outputs = createQueueOutputs(agent, model);

  const updateBadge = (): void => {
    const running = model.queues.reduce((sum, queue) => sum + queue.running, 0);
    treeView.badge = running > 0 ? { value: running, tooltip: `${running} running queue ${running === 1 ? 'item' : 'items'}` } : undefined;
  };
  const stopBadge = model.onChange(updateBadge);
  // The code lenses above each queue in taskwarden.yaml show its counts: ask for them again.
  const stopLenses = model.onChange(() => agent.refreshCodeLenses());
  const setListed = listedContext('taskwarden.queuesListed');
  setListed(model.loaded);
  const stopListed = model.onChange(() => setListed(model.loaded));

  return vscode.Disposable.from(
    treeView,
    tree,
    ordering,
    ordering.onDidChange(() => tree.redrawAll()),
    outputs,
    model,
    treeView.onDidChangeVisibility((event) => tree.setVisible(event.visible)),
    new vscode.Disposable(stopBadge),
    new vscode.Disposable(stopLenses),
    new vscode.Disposable(stopListed),
    ...registerQueueCommands({ agent, model, outputs }),
  );
}
