/**
 * Keeps a TasksModel in step with the agent: a first load when the connection
 * comes up (the live list and the first page of history), then the pushed
 * deltas; an empty model while there is no connection. Deltas that arrive
 * during the load are held and replayed after it, so none is lost. Only type
 * imports from 'vscode', so it is unit-tested against a fake AgentApi.
 */
import { ListTasksRequest, TaskHistoryRequest } from '../../agent/tasks/protocol';
import type { AgentApi } from '../shared/agentApi';
import { isTasksDelta, type TasksModel } from './tasksModel';

/** History rows per page (the first load and each "Load more…"). */
export const HISTORY_PAGE_SIZE = 20;

export interface TasksSyncOptions {
  /** Told when a load or a page fails (the view stays as it was). */
  readonly onError?: (message: string) => void;
  readonly pageSize?: number;
}

export class TasksSync {
  private readonly disposables: { dispose(): unknown }[] = [];
  /** Deltas held while a load is in flight; null when none is. */
  private pending: unknown[] | null = null;
  /** Bumped by every (re)load and reset, so a stale load's answer is dropped. */
  private generation = 0;
  private readonly pageSize: number;

  constructor(
    private readonly agent: AgentApi,
    private readonly model: TasksModel,
    private readonly options: TasksSyncOptions = {},
  ) {
    this.pageSize = options.pageSize ?? HISTORY_PAGE_SIZE;
    this.disposables.push(
      agent.onPartChanged('tasks', (delta) => this.onDelta(delta)),
      agent.onDidChangeState(() => void this.followState()),
    );
    void this.followState();
  }

  /** Loads the model when connected, empties it otherwise. Resolves when done. */
  async followState(): Promise<void> {
    if (this.agent.state.kind === 'running') return this.load();
    this.generation += 1;
    this.pending = null;
    if (this.model.loaded || this.model.tasks.length > 0 || this.model.history.length > 0) this.model.reset();
  }

  /** Loads everything again (after a reconnect). */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.pending = [];
    try {
      const [list, history] = await Promise.all([
        this.agent.request(ListTasksRequest.type, {}),
        this.agent.request(TaskHistoryRequest.type, { limit: this.pageSize }),
      ]);
      if (generation !== this.generation) return;
      this.model.load(list, history);
      const held = this.pending;
      this.pending = null;
      for (const delta of held) this.onDelta(delta);
    } catch (error: unknown) {
      if (generation !== this.generation) return;
      this.pending = null;
      this.options.onError?.(`Taskwarden could not load the tasks: ${messageOf(error)}`);
    }
  }

  /** Loads the next page of history ("Load more…"). */
  async loadMoreHistory(): Promise<void> {
    if (!this.model.loaded) return;
    const generation = this.generation;
    try {
      const page = await this.agent.request(TaskHistoryRequest.type, { limit: this.pageSize, offset: this.model.history.length });
      if (generation === this.generation) this.model.appendHistory(page);
    } catch (error: unknown) {
      this.options.onError?.(`Taskwarden could not load more history: ${messageOf(error)}`);
    }
  }

  private onDelta(delta: unknown): void {
    if (this.pending !== null) {
      this.pending.push(delta);
      return;
    }
    if (this.model.loaded && isTasksDelta(delta)) this.model.apply(delta);
  }

  dispose(): void {
    this.generation += 1;
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
