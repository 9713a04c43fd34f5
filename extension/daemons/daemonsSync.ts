/**
 * Keeps the DaemonsModel in step with the agent: one ListDaemonsRequest each
 * time the connection comes up, then only the pushed `daemons` deltas (never
 * polling). When the agent is not connected the model is empty, so the view
 * shows its welcome text. Everyone who shows daemons listens to `onDidChange`.
 */
import * as vscode from 'vscode';
import { ListDaemonsRequest } from '../../agent/daemons/protocol';
import type { AgentApi } from '../shared/agentApi';
import { DaemonsModel, type DaemonsChange } from './daemonsModel';

/** Owns the DaemonsModel and keeps it current from the agent; see the file header. */
export class DaemonsSync implements vscode.Disposable {
  readonly model = new DaemonsModel();
  private readonly changeEmitter = new vscode.EventEmitter<DaemonsChange>();
  /** Fires after the model changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly failEmitter = new vscode.EventEmitter<string>();
  /** Fires when the list cannot be fetched (the tree stays empty; the view says why). */
  readonly onDidFail = this.failEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Bumped per list request, so an answer that was overtaken is dropped. */
  private generation = 0;

  constructor(private readonly agent: AgentApi) {
    this.subscriptions = [
      agent.onDidChangeState((state) => (state.kind === 'running' ? this.reload() : this.clear())),
      agent.onPartChanged('daemons', (delta) => {
        const outcome = this.model.applyDelta(delta);
        if (outcome.change) this.changeEmitter.fire(outcome.change);
        // An instance this copy never saw (a missed snapshot): fetch the whole list again.
        if (outcome.stale) this.reload();
      }),
    ];
    if (agent.state.kind === 'running') this.reload();
  }

  /** Fetches the whole list (on connect, or after a delta named something unknown). */
  reload(): void {
    const generation = ++this.generation;
    this.agent.request(ListDaemonsRequest.type, {}).then(
      (list) => {
        if (generation !== this.generation) return;
        this.changeEmitter.fire(this.model.replace(list));
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.failEmitter.fire(`Could not list the daemons: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  private clear(): void {
    this.generation++;
    if (!this.model.loaded) return;
    this.changeEmitter.fire(this.model.clear());
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
    this.failEmitter.dispose();
  }
}
