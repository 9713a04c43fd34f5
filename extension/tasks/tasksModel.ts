/**
 * The extension's copy of the agent's tasks: the live tasks (reservations and
 * running tasks) and the loaded part of the history. It is filled by a first
 * load and then kept current by the deltas the agent pushes on the `tasks`
 * topic; it never asks the agent by itself. Pure (no 'vscode'): the view, the
 * commands and the feedback documents listen to its changes.
 */
import type { ListTasksResult, TaskHistoryEntry, TaskHistoryResult, TaskInfo, TasksDelta } from '../../agent/tasks/protocol';

/** What changed: the tasks whose rows or feedback changed, and whether rows came or went. */
export interface TasksChange {
  /** Ids of tasks (live or in the history) whose data changed. */
  readonly ids: readonly number[];
  /** Rows appeared or disappeared (a launch, an end, a cleared history, a new page): redraw the tree. */
  readonly structural: boolean;
}

type Listener = (change: TasksChange) => void;

export class TasksModel {
  private readonly live = new Map<number, TaskInfo>();
  private entries: TaskHistoryEntry[] = [];
  private total = 0;
  private isLoaded = false;
  /** Agent clock minus ours, measured at load (for elapsed times). */
  private skew = 0;
  private readonly listeners = new Set<Listener>();

  /** Calls `listener` after each change; returns a function that stops it. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True once a first load arrived (and until the connection goes). */
  get loaded(): boolean {
    return this.isLoaded;
  }

  /** Reservations and running tasks, by id. */
  get tasks(): readonly TaskInfo[] {
    return [...this.live.values()].sort((left, right) => left.id - right.id);
  }

  /** The loaded history, most recent end first. */
  get history(): readonly TaskHistoryEntry[] {
    return this.entries;
  }

  /** How many history rows the agent has in all (for "Load more…"). */
  get historyTotal(): number {
    return this.total;
  }

  /** True when the agent has history rows that are not loaded yet. */
  get hasMoreHistory(): boolean {
    return this.entries.length < this.total;
  }

  /** The agent's clock now, as well as we know it. */
  agentNow(now = Date.now()): number {
    return now + this.skew;
  }

  task(id: number): TaskInfo | undefined {
    return this.live.get(id);
  }

  historyEntry(id: number): TaskHistoryEntry | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  /** Forgets everything (the connection went away): the view shows its welcome text. */
  reset(): void {
    const ids = [...this.live.keys(), ...this.entries.map((entry) => entry.id)];
    this.live.clear();
    this.entries = [];
    this.total = 0;
    this.isLoaded = false;
    this.emit(ids, true);
  }

  /** Replaces everything with a first load: the live list and the first page of history. */
  load(list: ListTasksResult, history: TaskHistoryResult, now = Date.now()): void {
    this.live.clear();
    for (const task of list.tasks) this.live.set(task.id, task);
    this.entries = [...history.entries];
    this.total = Math.max(history.total, this.entries.length);
    this.skew = list.now - now;
    this.isLoaded = true;
    this.emit([...this.live.keys(), ...this.entries.map((entry) => entry.id)], true);
  }

  /** Adds a further page of history (rows already known are skipped). */
  appendHistory(page: TaskHistoryResult): void {
    const known = new Set(this.entries.map((entry) => entry.id));
    const added = page.entries.filter((entry) => !known.has(entry.id));
    this.entries = [...this.entries, ...added];
    this.total = Math.max(page.total, this.entries.length);
    this.emit(
      added.map((entry) => entry.id),
      true,
    );
  }

  /**
   * Applies one pushed delta. Applying a delta twice, or one the first load
   * already contained, changes nothing: deltas that arrived during the load are
   * replayed after it.
   */
  apply(delta: TasksDelta): void {
    switch (delta.kind) {
      case 'upsert': {
        const isNew = !this.live.has(delta.task.id);
        this.live.set(delta.task.id, delta.task);
        this.emit([delta.task.id], isNew);
        return;
      }
      case 'removed':
        this.emit([delta.id], this.live.delete(delta.id));
        return;
      case 'ended': {
        this.live.delete(delta.id);
        if (!this.entries.some((entry) => entry.id === delta.entry.id)) {
          this.entries = [delta.entry, ...this.entries];
          this.total += 1;
        }
        this.emit([delta.id], true);
        return;
      }
      case 'historyCleared': {
        const ids = this.entries.map((entry) => entry.id);
        this.entries = [];
        this.total = 0;
        this.emit(ids, true);
        return;
      }
      default:
        assertNever(delta);
    }
  }

  private emit(ids: readonly number[], structural: boolean): void {
    const change: TasksChange = { ids, structural };
    for (const listener of this.listeners) listener(change);
  }
}

/** True for a value shaped like a TasksDelta (deltas arrive as `unknown`). */
export function isTasksDelta(value: unknown): value is TasksDelta {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'upsert' || kind === 'removed' || kind === 'ended' || kind === 'historyCleared';
}

function assertNever(value: never): never {
  throw new Error(`unexpected tasks delta ${JSON.stringify(value)}`);
}
