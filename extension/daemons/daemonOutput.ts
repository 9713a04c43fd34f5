/**
 * "Show Output" for daemons: a channel of the shared output presenter
 * (extension/shared/outputPresenter.ts) per daemon NAME (a task or
 * `task:instance`), with each instance's state changes as notes. A task
 * removed from the config keeps its channel and stops following.
 */
import type * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import { OutputPresenter, type OutputTarget } from '../shared/outputPresenter';
import type { OutputPlace } from '../shared/outputSinks';
import type { DaemonsSync } from './daemonsSync';
import { formatStateLine, stateKey } from './daemonOutputFormat';

/** The daemon output channels of this window, by daemon NAME. */
export class DaemonOutputs implements vscode.Disposable {
  private readonly presenter: OutputPresenter;
  private readonly listening: vscode.Disposable;

  constructor(
    agent: AgentApi,
    private readonly sync: DaemonsSync,
  ) {
    this.presenter = new OutputPresenter(agent);
    this.listening = sync.onDidChange(() => {
      for (const name of this.presenter.keys()) {
        if (sync.model.loaded && sync.model.instancesOf(name).length === 0)
          void this.presenter.stopFollowing(name, `${name} is no longer configured; output stopped`);
      }
      this.presenter.noteStates(() => true);
    });
  }

  /** A channel's target: the daemon NAME, with the state notes of its instances. */
  private target(name: string): OutputTarget {
    const states = new Map<string, string>();
    return {
      key: name,
      title: name,
      source: { part: 'daemons', id: name },
      historyPer: 'instance',
      stateNotes: (all) => {
        const notes: string[] = [];
        for (const instance of this.sync.model.instancesOf(name)) {
          const key = stateKey(instance);
          if (!all && states.get(instance.id) === key) continue;
          states.set(instance.id, key);
          notes.push(formatStateLine(instance));
        }
        return notes;
      },
    };
  }

  /** Shows the channel (or terminal) of a daemon NAME, following its output (creating it the first time). */
  show(name: string, place: OutputPlace = 'channel'): Promise<void> {
    return this.presenter.show(this.target(name), place);
  }

  /** The NAMEs that have a channel. */
  get targets(): string[] {
    return this.presenter.keys();
  }

  /** Stops following a daemon NAME and closes its channel. */
  close(name: string): Promise<void> {
    return this.presenter.close(name);
  }

  dispose(): void {
    this.listening.dispose();
    this.presenter.dispose();
  }
}
