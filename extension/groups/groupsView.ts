/**
 * The Process Groups part of the extension, wired in one place (its entry in
 * extension/parts.ts): one GroupsModel kept current by the agent's pushes,
 * the Process Groups tree view with a badge of failed tasklets, the group
 * output channels, the commands, the code lenses of tasklet files and the
 * Problems of tasklet and params files.
 */
import * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import { listedContext } from '../shared/listedContext';
import { createPartTreeView, followModel } from '../shared/partTreeView';
import { registerGroupCommands } from './groupCommands';
import { GroupDiagnostics } from './groupDiagnostics';
import { taskletFailed } from './groupFormat';
import { createGroupOutputs } from './groupOutput';
import { GroupsModel } from './groupsModel';
import { GroupsTreeProvider } from './groupsTree';
import { registerTaskletDecorations } from './taskletDecorations';
import { registerTaskletLenses } from './taskletLenses';

/** The Process Groups view's id (package.json `views`). */
export const GROUPS_VIEW_ID = 'taskwarden.groups';

export function createGroupsView(agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable {
  const model = new GroupsModel(agent, (message) => void vscode.window.showErrorMessage(message));
  const { treeView, disposable: view } = createPartTreeView({
    viewId: GROUPS_VIEW_ID,
    orderCommand: 'taskwarden.orderGroups',
    context,
    tree: (ordering) => new GroupsTreeProvider(model, ordering),
  });
  const outputs = createGroupOutputs(agent, model);
  const diagnostics = new GroupDiagnostics();

  const setListed = listedContext('taskwarden.groupsListed');
  const update = (): void => {
    const failed = model.groups.reduce((sum, group) => sum + group.taskletStatus.filter(taskletFailed).length, 0);
    treeView.badge =
      failed > 0 ? { value: failed, tooltip: `${failed} ${failed === 1 ? 'tasklet' : 'tasklets'} failed in the last round` } : undefined;
    diagnostics.show(model.diagnostics);
    setListed(model.loaded);
  };

  return vscode.Disposable.from(
    view,
    outputs,
    diagnostics,
    model,
    followModel(model, update),
    // The code lenses above `groups:` in taskwarden.yaml show the groups' states: ask for them again.
    new vscode.Disposable(model.onChange(() => agent.refreshCodeLenses())),
    registerTaskletDecorations(),
    registerTaskletLenses(model),
    ...registerGroupCommands({ agent, model, outputs }),
  );
}
