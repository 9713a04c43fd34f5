/**
 * The Daemons part of the extension, wired in one place (its entry in
 * extension/parts.ts): the state kept from the agent's deltas, the
 * tree view, the commands of its rows, code lenses and palette, the output
 * channels, and the refresh of the agent's code lenses (the shared LensClock, fed with each running task's description).
 */
import * as vscode from 'vscode';
import { ConfigStateNotification, counted, type ConfigStateParams } from '../../agent/protocol';
import { taskDescription } from '../../agent/daemons/protocol';
import type { AgentApi } from '../shared/agentApi';
import { registerDaemonConfigCommand } from './daemonConfig';
import { registerDaemonControlCommands } from './daemonControl';
import { registerDaemonOutputCommands } from './daemonOutputCommands';
import { DaemonOutputs } from './daemonOutput';
import type { DaemonsModel } from './daemonsModel';
import { DaemonsSync } from './daemonsSync';
import { DaemonsTreeProvider } from './daemonsTreeProvider';
import { LensClock, type MovingLensTexts } from '../shared/lensClock';
import { listedContext } from '../shared/listedContext';
import { createPartTreeView } from '../shared/partTreeView';
import { watchResourcesWhileVisible } from '../shared/resourceWatch';

/** The lens text of each task with a running instance: its uptime moves. */
function runningTaskTexts(model: DaemonsModel): MovingLensTexts {
  return function* (now) {
    for (const task of model.tasks) {
      if (task.instances.some((instance) => instance.startedAt !== null)) yield [task.name, taskDescription(task, now)];
    }
  };
}

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
  const tree = createPartTreeView({
    viewId: 'taskwarden.daemons',
    orderCommand: 'taskwarden.orderDaemons',
    context,
    tree: (ordering) => new DaemonsTreeProvider(sync.model, ordering),
    canSelectMany: true,
  });
  const view = tree.treeView;
  const provider = tree.tree;
  const outputs = new DaemonOutputs(agent, sync);
  const setListed = listedContext('taskwarden.daemonsListed');
  setListed(sync.model.loaded);
  let config: ConfigStateParams | undefined;
  let failure: string | undefined;
  const showMessage = (): void => {
    view.message = [failure, configMessage(config), rolesMessage(sync.model)].filter(Boolean).join(' ') || undefined;
  };
  return vscode.Disposable.from(
    tree.disposable,
    outputs,
    new LensClock(agent, runningTaskTexts(sync.model)),
    sync,
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
