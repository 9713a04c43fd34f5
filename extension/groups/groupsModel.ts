/**
 * What the Process Groups view, the tasklet code lenses and the Problems panel
 * show, kept in step with the agent: each group's status with its tasklets in
 * run order, its live params, and the problems of tasklet and params files.
 * On connect it reads everything. Then a `params` delta carries the new params
 * itself; any other delta on the `groups` topic makes it read the status again
 * (coalesced: one read in flight, one more after it when deltas came
 * meanwhile), with the params of a group that just ended a round or appeared,
 * so it never depends on a delta's details and never polls. Only type imports
 * from 'vscode'.
 */
import {
  GroupParamsRequest,
  GroupStatusRequest,
  type Diagnostic,
  type GroupParams,
  type GroupsDelta,
  type GroupStatus,
  type TaskletStatus,
} from '../../agent/protocol';
import type { AgentApi } from '../shared/agentApi';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The delta kinds this model reads beyond "something changed". */
function asKnownDelta(value: unknown): GroupsDelta | null {
  if (!isRecord(value)) return null;
  if (value['kind'] === 'params' && typeof value['group'] === 'string' && isRecord(value['params'])) return value as GroupsDelta;
  if (value['kind'] === 'round' && isRecord(value['round'])) return value as GroupsDelta;
  return null;
}

export class GroupsModel {
  groups: readonly GroupStatus[] = [];
  /** Each group's live params, by group name. */
  params = new Map<string, GroupParams>();
  loaded = false;
  /** Agent clock minus ours, from the last read. */
  private skew = 0;
  private readonly listeners = new Set<() => void>();
  private readonly disposables: { dispose(): unknown }[] = [];
  private reading: Promise<void> | null = null;
  private readAgain = false;
  /** Groups whose params are read with the next status read. */
  private readonly staleParams = new Set<string>();

  constructor(
    private readonly agent: AgentApi,
    private readonly onError: (message: string) => void,
  ) {
    this.disposables.push(
      agent.onPartChanged('groups', (delta) => this.applyDelta(delta)),
      agent.onDidChangeState(() => {
        this.params = new Map();
        void this.refresh();
      }),
    );
    void this.refresh();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  group(name: string): GroupStatus | undefined {
    return this.groups.find((group) => group.name === name);
  }

  /** The tasklet of this absolute file, with its group. */
  taskletOfFile(file: string): { group: GroupStatus; tasklet: TaskletStatus } | undefined {
    for (const group of this.groups) {
      const tasklet = group.taskletStatus.find((candidate) => candidate.file === file);
      if (tasklet) return { group, tasklet };
    }
    return undefined;
  }

  /** Every group's problems (tasklet files, params files, why a group is broken), for the Problems panel. */
  get diagnostics(): readonly Diagnostic[] {
    return this.groups.flatMap((group) => group.problems);
  }

  /** The agent's clock now, as well as we know it. */
  agentNow(): number {
    return Date.now() + this.skew;
  }

  /** Reads the status again; resolves once the model holds the agent's state as of this call. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = this.read().finally(() => {
      this.reading = null;
      if (this.readAgain) {
        this.readAgain = false;
        void this.refresh();
      }
    });
    return this.reading;
  }

  private applyDelta(value: unknown): void {
    const delta = asKnownDelta(value);
    if (delta?.kind === 'params') {
      if (!this.loaded) return;
      this.params.set(delta.group, delta.params);
      this.emit();
      return;
    }
    if (delta?.kind === 'round') this.staleParams.add(delta.round.group);
    void this.refresh();
  }

  private async read(): Promise<void> {
    if (this.agent.state.kind !== 'running') {
      if (this.loaded) {
        this.loaded = false;
        this.groups = [];
        this.params = new Map();
        this.emit();
      }
      return;
    }
    try {
      const status = await this.agent.request(GroupStatusRequest.type, {});
      const stale = new Set(this.staleParams);
      this.staleParams.clear();
      const fresh = new Map<string, GroupParams>();
      for (const group of status.groups) {
        if (this.params.has(group.name) && !stale.has(group.name)) continue;
        // A group removed since the status was read has no params: the next read drops it.
        const answer = await this.agent.request(GroupParamsRequest.type, { group: group.name }).catch(() => null);
        if (answer) fresh.set(group.name, answer.params);
      }
      // Taken only now: a params delta that came during the reads above is kept.
      const params = new Map<string, GroupParams>();
      for (const group of status.groups) {
        const value = fresh.get(group.name) ?? this.params.get(group.name);
        if (value) params.set(group.name, value);
      }
      this.skew = status.now - Date.now();
      this.groups = status.groups;
      this.params = params;
      this.loaded = true;
      this.emit();
    } catch (error: unknown) {
      this.onError(`Taskwarden could not read the process groups: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.listeners.clear();
  }
}
