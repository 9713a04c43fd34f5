/**
 * The extension's copy of the daemons state: filled by one ListDaemonsRequest
 * when the agent connects, then kept current by the `daemons` deltas the agent
 * pushes (a snapshot replaces everything, an `instances` delta replaces those
 * instances by id). Pure (no 'vscode'): the view, the commands and the output
 * channels read it, and it is unit-tested.
 */
import type { DaemonInstanceInfo, DaemonsDelta, DaemonTaskInfo, ListDaemonsResult, SkippedDaemonInfo } from '../../agent/daemons/protocol';

/** What an update changed: everything, or these tasks (by name). */
export type DaemonsChange = { readonly kind: 'all' } | { readonly kind: 'tasks'; readonly names: readonly string[] };

/** The result of applying a pushed delta. */
export interface DeltaOutcome {
  /** null when nothing changed (or the delta was not understood). */
  readonly change: DaemonsChange | null;
  /** The delta named an instance this copy does not know: ask the agent for the whole list again. */
  readonly stale: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Narrows a StateChanged delta of the `daemons` topic; anything else is ignored. */
export function isDaemonsDelta(value: unknown): value is DaemonsDelta {
  if (!isRecord(value)) return false;
  if (value['kind'] === 'snapshot') return Array.isArray(value['tasks']) && Array.isArray(value['skipped']);
  if (value['kind'] === 'instances') return Array.isArray(value['instances']);
  return false;
}

/** The daemons as last reported: tasks that run here (in start order), skipped tasks and roles. */
export class DaemonsModel {
  private tasksByName = new Map<string, DaemonTaskInfo>();
  private skippedTasks: readonly SkippedDaemonInfo[] = [];
  private rolesFileValue: string | null = null;
  private rolesValue: readonly string[] | null = null;
  private loadedValue = false;

  /** Whether a list has arrived since the last clear (an empty model then means "no daemons"). */
  get loaded(): boolean {
    return this.loadedValue;
  }

  /** Tasks that run here, in start order. */
  get tasks(): readonly DaemonTaskInfo[] {
    return [...this.tasksByName.values()];
  }

  /** Configured tasks that do not run here. */
  get skipped(): readonly SkippedDaemonInfo[] {
    return this.skippedTasks;
  }

  get rolesFile(): string | null {
    return this.rolesFileValue;
  }

  get roles(): readonly string[] | null {
    return this.rolesValue;
  }

  task(name: string): DaemonTaskInfo | undefined {
    return this.tasksByName.get(name);
  }

  skippedTask(name: string): SkippedDaemonInfo | undefined {
    return this.skippedTasks.find((skipped) => skipped.name === name);
  }

  instance(id: string): DaemonInstanceInfo | undefined {
    for (const task of this.tasksByName.values()) {
      const found = task.instances.find((instance) => instance.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The instances a daemon NAME designates (a task: all of its instances;
   * `task:instance`: that one), as the agent resolves it.
   */
  instancesOf(name: string): readonly DaemonInstanceInfo[] {
    const task = this.tasksByName.get(name);
    if (task) return task.instances;
    const instance = this.instance(name);
    return instance ? [instance] : [];
  }

  /** Replaces everything with a list (the answer to ListDaemonsRequest, or a snapshot delta). */
  replace(list: ListDaemonsResult): DaemonsChange {
    this.tasksByName = new Map(list.tasks.map((task) => [task.name, task]));
    this.skippedTasks = list.skipped;
    this.rolesFileValue = list.rolesFile;
    this.rolesValue = list.roles;
    this.loadedValue = true;
    return { kind: 'all' };
  }

  /** Forgets everything (the agent went away). */
  clear(): DaemonsChange {
    this.tasksByName = new Map();
    this.skippedTasks = [];
    this.rolesFileValue = null;
    this.rolesValue = null;
    this.loadedValue = false;
    return { kind: 'all' };
  }

  /** Applies a pushed delta (of unknown shape: it comes off the wire). */
  applyDelta(delta: unknown): DeltaOutcome {
    if (!isDaemonsDelta(delta)) return { change: null, stale: false };
    if (delta.kind === 'snapshot') return { change: this.replace(delta), stale: false };
    return this.applyInstances(delta.instances);
  }

  /** Replaces these instances by id (from a delta, or the answer to a control request). */
  applyInstances(instances: readonly DaemonInstanceInfo[]): DeltaOutcome {
    if (!this.loadedValue) return { change: null, stale: false };
    const names = new Set<string>();
    let stale = false;
    for (const instance of instances) {
      const task = this.tasksByName.get(instance.task);
      const index = task ? task.instances.findIndex((candidate) => candidate.id === instance.id) : -1;
      if (!task || index < 0) {
        stale = true;
        continue;
      }
      const updated = [...task.instances];
      updated[index] = instance;
      this.tasksByName.set(task.name, { ...task, instances: updated });
      names.add(task.name);
    }
    return { change: names.size > 0 ? { kind: 'tasks', names: [...names] } : null, stale };
  }
}
