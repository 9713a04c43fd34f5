/**
 * What the Process Groups view, the tasklet code lenses and the Problems panel
 * show, kept in step with the agent: each group's status with its tasklets in
 * run order, its live params, and the problems of tasklet and params files.
 * On connect it reads everything. Then it follows the `groups` deltas: a
 * `params` delta carries the new params and a `round` delta the group's
 * tasklets after the round, both applied as they come; `removed` drops groups;
 * a `groups` delta (a group's state, counts or loaded tasklets changed) makes
 * it read the status of those groups only (coalesced: one read in flight, one
 * more after it for the names that came meanwhile). A group's round thus costs
 * one small request, whatever the number of groups, and nothing is polled.
 * Only type imports from 'vscode'.
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
import { PartModel } from '../shared/partModel';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Narrows a StateChanged delta of the `groups` topic; anything else is null (and answered by a whole read). */
function asGroupsDelta(value: unknown): GroupsDelta | null {
  if (!isRecord(value)) return null;
  switch (value['kind']) {
    case 'params':
      return typeof value['group'] === 'string' && isRecord(value['params']) ? (value as GroupsDelta) : null;
    case 'round':
      return isRecord(value['round']) && Array.isArray(value['tasklets']) ? (value as GroupsDelta) : null;
    case 'groups':
      return Array.isArray(value['groups']) ? (value as GroupsDelta) : null;
    case 'removed':
      return Array.isArray(value['names']) ? (value as GroupsDelta) : null;
    default:
      return null;
  }
}

export class GroupsModel extends PartModel {
  groups: readonly GroupStatus[] = [];
  /** Each group's live params, by group name. */
  params = new Map<string, GroupParams>();
  loaded = false;
  /** Agent clock minus ours, from the last read. */
  private skew = 0;
  private reading: Promise<void> | null = null;
  /** Groups whose params a delta brought since the read in flight began: what that read got for them is older. */
  private readonly paramsPushed = new Set<string>();
  /** What the next read reads: every group, or these groups' status. */
  private wanted: { all: boolean; names: Set<string> } = { all: true, names: new Set() };

  constructor(
    private readonly agent: AgentApi,
    private readonly onError: (message: string) => void,
  ) {
    super();
    this.disposables.push(
      agent.onPartChanged('groups', (delta) => this.applyDelta(delta)),
      agent.onDidChangeState(() => void this.refresh()),
    );
    void this.refresh();
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

  /** Reads every group again; resolves once the model holds the agent's state as of this call. */
  refresh(): Promise<void> {
    this.wanted.all = true;
    return this.startReading();
  }

  private startReading(): Promise<void> {
    if (this.reading) return this.reading.then(() => this.startReading());
    const wanted = this.wanted;
    this.wanted = { all: false, names: new Set() };
    this.reading = this.read(wanted).finally(() => {
      this.reading = null;
      if (this.wanted.all || this.wanted.names.size > 0) void this.startReading();
    });
    return this.reading;
  }

  private applyDelta(value: unknown): void {
    if (!this.loaded) {
      // The first read is on its way and may predate this change: read everything once more after it.
      if (this.reading) this.wanted.all = true;
      return;
    }
    const delta = asGroupsDelta(value);
    switch (delta?.kind) {
      case 'params':
        this.paramsPushed.add(delta.group);
        this.params.set(delta.group, delta.params);
        this.emit();
        return;
      case 'round': {
        const known = this.group(delta.round.group);
        if (known) {
          this.replace({ ...known, taskletStatus: delta.tasklets });
          this.emit();
        } else this.wanted.names.add(delta.round.group);
        break;
      }
      case 'removed':
        this.groups = this.groups.filter((group) => !delta.names.includes(group.name));
        for (const name of delta.names) this.params.delete(name);
        this.emit();
        return;
      case 'groups':
        for (const summary of delta.groups) this.wanted.names.add(summary.name);
        break;
      case undefined:
        this.wanted.all = true;
        break;
    }
    if (this.wanted.all || this.wanted.names.size > 0) void this.startReading();
  }

  private replace(group: GroupStatus): void {
    const known = this.groups.some((candidate) => candidate.name === group.name);
    // A new group goes where the agent lists it: by name.
    this.groups = known
      ? this.groups.map((candidate) => (candidate.name === group.name ? group : candidate))
      : [...this.groups, group].sort((a, b) => a.name.localeCompare(b.name));
  }

  private async read(wanted: { all: boolean; names: ReadonlySet<string> }): Promise<void> {
    if (this.agent.state.kind !== 'running') {
      if (this.loaded) {
        this.loaded = false;
        this.groups = [];
        this.params = new Map();
        this.emit();
      }
      return;
    }
    this.paramsPushed.clear();
    try {
      const read = wanted.all ? await this.readAll() : await this.readSome(wanted.names);
      this.skew = read.now - Date.now();
      for (const [name, params] of read.params) if (!this.paramsPushed.has(name)) this.params.set(name, params);
      this.loaded = true;
      this.emit();
    } catch (error: unknown) {
      this.onError(`Taskwarden could not read the process groups: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Every group, and the params of each (a connect, or a delta this model does not know). */
  private async readAll(): Promise<{ now: number; params: Map<string, GroupParams> }> {
    const status = await this.agent.request(GroupStatusRequest.type, {});
    const params = await this.readParams(status.groups.map((group) => group.name));
    this.groups = status.groups;
    for (const name of this.params.keys()) if (!this.group(name)) this.params.delete(name);
    return { now: status.now, params };
  }

  /** These groups' status; one that is gone is dropped, one that is new gets its params read too. */
  private async readSome(names: ReadonlySet<string>): Promise<{ now: number; params: Map<string, GroupParams> }> {
    let now: number | null = null;
    const fresh: string[] = [];
    for (const name of names) {
      const status = await this.agent.request(GroupStatusRequest.type, { group: name }).catch(() => null);
      const group = status?.groups[0];
      if (!status || !group) {
        this.groups = this.groups.filter((candidate) => candidate.name !== name);
        this.params.delete(name);
        continue;
      }
      now = status.now;
      if (!this.group(name)) fresh.push(name);
      this.replace(group);
    }
    return { now: now ?? this.agentNow(), params: await this.readParams(fresh) };
  }

  private async readParams(names: readonly string[]): Promise<Map<string, GroupParams>> {
    const params = new Map<string, GroupParams>();
    for (const name of names) {
      // A group removed meanwhile has no params: its `removed` delta follows.
      const answer = await this.agent.request(GroupParamsRequest.type, { group: name }).catch(() => null);
      if (answer) params.set(name, answer.params);
    }
    return params;
  }
}
