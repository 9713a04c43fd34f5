/**
 * The agent samples CPU and memory only while a client watches. A window
 * watches while at least one of its views that shows them (Daemons, Tasks) is
 * visible: one watch per connection, so the views share it here, and it is
 * asked for again after a reconnection (a new agent, a new session).
 */
import type * as vscode from 'vscode';
import { UnwatchResourcesRequest, WatchResourcesRequest } from '../../agent/protocol';
import type { AgentApi } from './agentApi';

class ResourceWatch {
  private readonly visible = new Set<string>();

  constructor(private readonly agent: AgentApi) {
    agent.onDidChangeState((state) => {
      if (state.kind === 'running' && this.visible.size > 0) this.send(true);
    });
  }

  setVisible(view: string, visible: boolean): void {
    const before = this.visible.size > 0;
    if (visible) this.visible.add(view);
    else this.visible.delete(view);
    const after = this.visible.size > 0;
    if (before !== after && this.agent.state.kind === 'running') this.send(after);
  }

  private send(watch: boolean): void {
    // A failed watch only leaves the figures out of the rows; the connection reports its own failures.
    const sent = watch ? this.agent.request(WatchResourcesRequest.type, {}) : this.agent.request(UnwatchResourcesRequest.type, {});
    sent.catch(() => undefined);
  }
}

const watches = new WeakMap<AgentApi, ResourceWatch>();

/** Keeps the agent sampling while `view` is visible; returns what ends it with the view. */
export function watchResourcesWhileVisible(agent: AgentApi, view: vscode.TreeView<unknown>, name: string): vscode.Disposable {
  let watch = watches.get(agent);
  if (!watch) {
    watch = new ResourceWatch(agent);
    watches.set(agent, watch);
  }
  const shared = watch;
  shared.setVisible(name, view.visible);
  const listening = view.onDidChangeVisibility(({ visible }) => shared.setVisible(name, visible));
  return {
    dispose: () => {
      listening.dispose();
      shared.setVisible(name, false);
    },
  };
}
