/**
 * "Show Task Output": a channel of the shared output presenter
 * (extension/shared/outputPresenter.ts) per task, like a daemon's: its recent
 * lines, then its live ones until it ends (a finished task's are read back
 * from its files), stderr marked, and notes when its state changes and how it
 * ended.
 */
import type * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import { formatNote } from '../shared/outputFormat';
import { OutputPresenter, type OutputTarget } from '../shared/outputPresenter';
import { describeEnd } from './taskFormat';
import type { TasksModel } from './tasksModel';

/** The words of a state note: a running task's state and pid, a finished one's end. */
function stateWords(model: TasksModel, id: number): string | null {
  const live = model.task(id);
  if (live) return `task ${id} ${live.state.toLowerCase()}${live.pid === null ? '' : `, pid ${live.pid}`}`;
  const entry = model.historyEntry(id);
  if (entry) return `task ${id} ended: ${describeEnd(entry)}${entry.error ? `, ${entry.error}` : ''}`;
  return null;
}

/** The task output channels of this window, by task id. */
export class TaskOutputs implements vscode.Disposable {
  private readonly presenter: OutputPresenter;
  private readonly stopListening: () => void;

  constructor(
    agent: AgentApi,
    private readonly model: TasksModel,
  ) {
    this.presenter = new OutputPresenter(agent);
    this.stopListening = model.onChange(() => this.presenter.noteStates(() => true));
  }

  private target(id: number): OutputTarget {
    let last: string | null = null;
    return {
      key: `task:${id}`,
      title: `task ${id}`,
      source: { part: 'tasks', id: String(id) },
      historyPer: null,
      stateNotes: (all) => {
        const words = stateWords(this.model, id);
        if (words === null || (!all && words === last)) return [];
        last = words;
        return [formatNote(words)];
      },
    };
  }

  /** Shows a task's channel, following its output while it runs (creating it the first time). */
  show(id: number): Promise<void> {
    return this.presenter.show(this.target(id));
  }

  dispose(): void {
    this.stopListening();
    this.presenter.dispose();
  }
}
