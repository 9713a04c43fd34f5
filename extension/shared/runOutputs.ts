/**
 * The output channels of one part's single runs (a task, a queue item) through
 * the shared presenter (outputPresenter.ts): a run's output so far, then its
 * live lines until it ends, stderr marked, and a note each time the words the
 * part gives for its state change (how it ended, last).
 */
import type * as vscode from 'vscode';
import type { PartName } from '../../agent/protocol';
import type { AgentApi } from './agentApi';
import { formatNote } from './outputFormat';
import { OutputPresenter, type OutputTarget } from './outputPresenter';
import type { OutputPlace } from './outputSinks';

/** What a part says of its runs' channels. */
export interface RunOutputKind<Id extends string | number> {
  readonly part: PartName;
  /** The channels' key prefix, e.g. `task` for `task:7`. */
  readonly keyPrefix: string;
  /** How notes name a run, e.g. `task 7`. */
  title(id: Id): string;
  /** The words of a state note now, or null while the run is not known. */
  stateWords(id: Id): string | null;
  /** Calls `listener` whenever the part's model changed; returns how to stop. */
  onChange(listener: () => void): () => void;
}

/** One part's run output channels of this window, by run id. */
export class RunOutputs<Id extends string | number> implements vscode.Disposable {
  private readonly presenter: OutputPresenter;
  private readonly stopListening: () => void;

  constructor(
    agent: AgentApi,
    private readonly kind: RunOutputKind<Id>,
  ) {
    this.presenter = new OutputPresenter(agent);
    this.stopListening = kind.onChange(() => this.presenter.noteStates(() => true));
  }

  private target(id: Id): OutputTarget {
    let last: string | null = null;
    return {
      key: `${this.kind.keyPrefix}:${id}`,
      title: this.kind.title(id),
      source: { part: this.kind.part, id: String(id) },
      historyPer: null,
      stateNotes: (all) => {
        const words = this.kind.stateWords(id);
        if (words === null || (!all && words === last)) return [];
        last = words;
        return [formatNote(words)];
      },
    };
  }

  /** Shows a run's channel (or terminal), following its output while it runs (creating it the first time). */
  show(id: Id, place: OutputPlace = 'channel'): Promise<void> {
    return this.presenter.show(this.target(id), place);
  }

  dispose(): void {
    this.stopListening();
    this.presenter.dispose();
  }
}
