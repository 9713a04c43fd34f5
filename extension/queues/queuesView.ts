/**
 * The Queues feature of the extension, as the view factory of `queues`: one
 * QueuesModel kept current by the agent's pushes, the Queues tree view with a
 * badge of running items, the item output channels and the queue commands.
 */
import * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import { listedContext } from '../shared/listedContext';
import { createPartTreeView, followModel } from '../shared/partTreeView';
import { registerQueueCommands } from './queueCommands';
import { createQueueOutputs } from './queueOutput';
import { QueuesModel } from './queuesModel';
import { QueuesTreeProvider } from './queuesTree';

/** The Queues view's id (package.json `views`). */
export const QUEUES_VIEW_ID = 'taskwarden.queues';

export function createQueuesView(agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable {
  const model = new QueuesModel(agent, (message) => void vscode.window.showErrorMessage(message));
  const { treeView, disposable: view } = createPartTreeView({
    viewId: QUEUES_VIEW_ID,
    orderCommand: 'taskwarden.orderQueues',
    context,
    tree: (ordering) => new QueuesTreeProvider(model, ordering),
  });
  const outputs = createQueueOutputs(agent, model);

  const setListed = listedContext('taskwarden.queuesListed');
  const update = (): void => {
    const running = model.queues.reduce((sum, queue) => sum + queue.running, 0);
    treeView.badge = running > 0 ? { value: running, tooltip: `${running} running queue ${running === 1 ? 'item' : 'items'}` } : undefined;
    setListed(model.loaded);
  };

  return vscode.Disposable.from(
    view,
    outputs,
    model,
    followModel(model, update),
    // The code lenses above each queue in taskwarden.yaml show its counts: ask for them again.
    new vscode.Disposable(model.onChange(() => agent.refreshCodeLenses())),
    ...registerQueueCommands({ agent, model, outputs }),
  );
}
