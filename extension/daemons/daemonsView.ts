/**
 * The Daemons part of the extension, wired in one place (its entry in
 * extension/parts.ts): the state kept from the agent's deltas, the
 * tree view, the commands of its rows, code lenses and palette, the output
 * channels, and the refresh of the agent's code lenses (daemonLensClock.ts).
 */
import * as vscode from 'vscode';
import { ConfigStateNotification, counted, type ConfigStateParams } from '../../agent/protocol';
import type { AgentApi } from '../shared/agentApi';
import { registerDaemonConfigCommand } from './daemonConfig';
import { registerDaemonControlCommands } from './daemonControl';
import { registerDaemonOutputCommands } from './daemonOutputCommands';
import type { DaemonNode } from './daemonTargets';
import { DaemonOutputs } from './daemonOutput';
import type { DaemonsModel } from './daemonsModel';
import { DaemonLensClock } from './daemonLensClock';
import { DaemonsSync } from './daemonsSync';
import { DaemonsTreeProvider } from './daemonsTreeProvider';
import { listedContext } from '../shared/listedContext';
import { ViewOrdering } from '../shared/viewOrdering';
import { watchResourcesWhileVisible } from '../shared/resourceWatch';

/** The line above the tree when a roles file decides what runs here. */
function rolesMessage(model: DaemonsModel): string | undefined {
  if (!model.loaded || model.rolesFile === null) return undefined;
  if (model.roles === null) return `Roles file ${model.rolesFile} is missing: every task runs here.`;
  return model.roles.length > 0 ? `Roles here: ${model.roles.join(', ')}` : 'No roles here: only tasks without roles run.';
}

/** The line above the tree when the config on disk has errors (the last good one keeps running). */
function configMessage(config: ConfigStateParams | undefined): string | undefined {
  const errors = config?.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length ?? 0;
  if (!config || errors === 0) return undefined;
  const count = counted(errors, 'error');
  return config.appliedAt > 0
    ? `taskwarden.yaml has ${count} (see Problems): the last good config keeps running.`
    : `taskwarden.yaml has ${count} (see Problems): no daemon runs until they are fixed.`;
}

/** Creates the Daemons view and everything that acts on daemons. */
export function createDaemonsView(agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable {
  const sync = new DaemonsSync(agent);
  const ordering = new ViewOrdering({ viewId: 'taskwarden.daemons', command: 'taskwarden.orderDaemons' }, context.workspaceState);
  const provider = new DaemonsTreeProvider(sync.model, ordering);
  const view = vscode.window.createTreeView<DaemonNode>('taskwarden.daemons', {
    treeDataProvider: provider,
    showCollapseAll: true,
    canSelectMany: true,
  });
  ordering.showIn(view);
  const outputs = new DaemonOutputs(agent, sync);
  provider.setVisible(view.visible);
  const setListed = listedContext('taskwarden.daemonsListed');
  setListed(sync.model.loaded);
  let config: ConfigStateParams | undefined;
  let failure: string | undefined;
  const showMessage = (): void => {
    view.message = [failure, configMessage(config), rolesMessage(sync.model)].filter(Boolean).join(' ') || undefined;
  };
  return vscode.Disposable.from(
    view,
    provider,
    ordering,
    ordering.onDidChange(() => provider.refresh({ kind: 'all' })),
    outputs,
    new DaemonLensClock(agent, sync.model),
    sync,
    view.onDidChangeVisibility(({ visible }) => provider.setVisible(visible)),
    // CPU and memory in the rows' descriptions and tooltips (daemonPresentation.ts), sampled while the view shows.
    watchResourcesWhileVisible(agent, view, 'daemons'),
    sync.onDidChange((change) => {
      provider.refresh(change);
      setListed(sync.model.loaded);
      failure = undefined;
      showMessage();
    }),
    // A list that fails leaves the tree empty: say why above it.
    sync.onDidFail((message) => {
      failure = message;
      showMessage();
    }),
    agent.onNotification(ConfigStateNotification.type, (state) => {
      config = state;
      showMessage();
    }),
    agent.onDidChangeState((state) => {
      if (state.kind === 'running') return;
      config = undefined;
      showMessage();
    }),
    ...registerDaemonControlCommands(agent, sync),
    ...registerDaemonOutputCommands(agent, sync, outputs),
    registerDaemonConfigCommand(agent, sync),
  );
}
