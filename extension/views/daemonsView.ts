/**
 * The Daemons part of the extension, wired in one place (it is
 * `VIEW_FACTORIES.daemons`): the state kept from the agent's deltas, the
 * tree view, the commands of its rows, code lenses and palette, the output
 * channels, and the refresh of the agent's code lenses.
 */
import * as vscode from 'vscode';
import type { AgentApi } from '../agentApi';
import { registerDaemonConfigCommand } from '../commands/daemonConfig';
import { registerDaemonControlCommands } from '../commands/daemonControl';
import { registerDaemonOutputCommands } from '../commands/daemonOutputCommands';
import type { DaemonNode } from '../commands/daemonTargets';
import { refreshDaemonLenses } from '../lenses/daemonLensRefresh';
import { DaemonOutputs } from '../output/daemonOutput';
import type { DaemonsModel } from './daemonsModel';
import { DaemonsSync } from './daemonsSync';
import { DaemonsTreeProvider } from './daemonsTreeProvider';

/** The line above the tree when a roles file decides what runs here. */
function rolesMessage(model: DaemonsModel): string | undefined {
  if (!model.loaded || model.rolesFile === null) return undefined;
  if (model.roles === null) return `Roles file ${model.rolesFile} is missing: every task runs here.`;
  return model.roles.length > 0 ? `Roles here: ${model.roles.join(', ')}` : 'No roles here: only tasks without roles run.';
}

/** Creates the Daemons view and everything that acts on daemons. */
export function createDaemonsView(agent: AgentApi, _context: vscode.ExtensionContext): vscode.Disposable {
  const sync = new DaemonsSync(agent);
  const provider = new DaemonsTreeProvider(sync.model);
  const view = vscode.window.createTreeView<DaemonNode>('taskwarden.daemons', {
    treeDataProvider: provider,
    showCollapseAll: true,
    canSelectMany: true,
  });
  const outputs = new DaemonOutputs(agent, sync);
  provider.setVisible(view.visible);
  return vscode.Disposable.from(
    view,
    provider,
    outputs,
    sync,
    view.onDidChangeVisibility(({ visible }) => provider.setVisible(visible)),
    sync.onDidChange((change) => {
      provider.refresh(change);
      view.message = rolesMessage(sync.model);
    }),
    // A list that fails leaves the tree empty: say why above it.
    sync.onDidFail((message) => (view.message = message)),
    refreshDaemonLenses(sync),
    ...registerDaemonControlCommands(agent, sync),
    ...registerDaemonOutputCommands(agent, sync, outputs),
    registerDaemonConfigCommand(agent, sync),
  );
}
