/**
 * What the Process Groups view, the tasklet code lenses and the Problems panel
 * show, kept in step with the agent: each group's status with its tasklets in
 * run order, its live params, and the diagnostics of tasklet and params files.
 * A pushed delta on the `groups` topic makes it read them again (coalesced:
 * one read in flight, one more after it when deltas came meanwhile), so it
 * never depends on the delta's shape and never polls. Only type imports from
 * 'vscode'.
 */
import type { Diagnostic } from '../../agent/protocol';
import type { AgentApi } from '../shared/agentApi';
import { GroupParamsRequest, GroupStatusRequest, type GroupStatus, type TaskletStatus } from './groupsProtocolDraft';

export class GroupsModel {
  groups: readonly GroupStatus[] = [];
  /** Each group's live params, by group name. */
  params = new Map<string, Readonly<Record<string, unknown>>>();
  diagnostics: readonly Diagnostic[] = [];
  loaded = false;
  /** Agent clock minus ours, from the last read. */
  private skew = 0;
  private readonly listeners = new Set<() => void>();
  private readonly disposables: { dispose(): unknown }[] = [];
  private reading: Promise<void> | null = null;
  private readAgain = false;

  constructor(
    private readonly agent: AgentApi,
    private readonly onError: (message: string) => void,
  ) {
    this.disposables.push(
      agent.onPartChanged('groups', () => void this.refresh()),
      agent.onDidChangeState(() => void this.refresh()),
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
      const tasklet = group.tasklets.find((candidate) => candidate.file === file);
      if (tasklet) return { group, tasklet };
    }
    return undefined;
  }

  /** The agent's clock now, as well as we know it. */
  agentNow(): number {
    return Date.now() + this.skew;
  }

  /** Reads everything again; resolves once the model holds the agent's state as of this call. */
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

  private async read(): Promise<void> {
    if (this.agent.state.kind !== 'running') {
      if (this.loaded) {
        this.loaded = false;
        this.groups = [];
        this.params = new Map();
        this.diagnostics = [];
        this.emit();
      }
      return;
    }
    try {
      const status = await this.agent.request(GroupStatusRequest.type, {});
      const params = new Map<string, Readonly<Record<string, unknown>>>();
      for (const group of status.groups) {
        const answer = await this.agent.request(GroupParamsRequest.type, { group: group.name });
        params.set(group.name, answer.params);
      }
      this.skew = status.now - Date.now();
      this.groups = status.groups;
      this.params = params;
      this.diagnostics = status.diagnostics;
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
