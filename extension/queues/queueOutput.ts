/**
 * "Show Queue Item Output": a channel of the shared output presenter
 * (extension/shared/outputPresenter.ts) per item, like a task's: its output so
 * far, then its live lines until it ends, stderr marked, and notes when its
 * state changes and how it ended.
 */
import type * as vscode from 'vscode';
import { describeQueueExit, queueItemLook } from '../../agent/protocol';
import type { AgentApi } from '../shared/agentApi';
import { formatNote } from '../shared/outputFormat';
import { OutputPresenter, type OutputTarget } from '../shared/outputPresenter';
import type { QueuesModel } from './queuesModel';

function stateWords(model: QueuesModel, id: string): string | null {
  const item = model.item(id);
  if (!item) return null;
  if (item.state === 0) return `item ${id} queued in ${item.queue}`;
  if (item.state === 1) return `item ${id} running${item.pid === null ? '' : `, pid ${item.pid}`}`;
  const exit = describeQueueExit(item);
  return `item ${id} ${queueItemLook(item).label}${exit ? `: ${exit}` : ''}`;
}

/** The queue item output channels of this window, by item id. */
export class QueueOutputs implements vscode.Disposable {
  private readonly presenter: OutputPresenter;
  private readonly stopListening: () => void;

  constructor(
    agent: AgentApi,
    private readonly model: QueuesModel,
  ) {
    this.presenter = new OutputPresenter(agent);
    this.stopListening = model.onChange(() => this.presenter.noteStates(() => true));
  }

  private target(id: string): OutputTarget {
    let last: string | null = null;
    return {
      key: `queue:${id}`,
      title: `queue item ${id}`,
      source: { part: 'queues', id },
      historyPer: null,
      stateNotes: (all) => {
        const words = stateWords(this.model, id);
        if (words === null || (!all && words === last)) return [];
        last = words;
        return [formatNote(words)];
      },
    };
  }

  /** Shows an item's channel, following its output while it runs. */
  show(id: string): Promise<void> {
    return this.presenter.show(this.target(id));
  }

  dispose(): void {
    this.stopListening();
    this.presenter.dispose();
  }
}
