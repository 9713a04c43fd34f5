/**
 * The daemons runtime: every instance of every task in scope, kept in start
 * order. Applies resolved configs as a reconfiguration plan (stop, restart,
 * start, keep), decides when requirements are met, runs `onexit` and event
 * actions, and reports each change once per tick to the part, which publishes
 * it. Instances do the process work (instanceSupervisor.ts).
 */
import type { Logger } from '../log';
import type { DaemonControl, DaemonInstanceInfo, DaemonTaskInfo } from './protocol';
import { planReconfiguration } from './config/reconfigure';
import type { DaemonSpec, EventAction } from './config/spec';
import { bindEvents } from './events/bindings';
import { reportTo } from './failures';
import type { FileWatchHub } from './events/fileWatch';
import type { InstanceHost } from './instanceHost';
import { DaemonInstance } from './instanceSupervisor';
import type { LogRotator } from '../proc/logRotator';
import type { SideCommands } from './sideCommands';
import type { DaemonStore, InstanceRow } from './store';
import type { RunRecord } from '../proc/supervisedRun';
import { sharedResourceSampler, type RunSample } from '../proc/resources/resourceSampler';

/** What the store and the process table say about an instance before the first config. */
export interface Adoptable {
  readonly row: InstanceRow;
  /** The record of its live process, to adopt; null when none lives. */
  readonly live: RunRecord | null;
}

export interface SupervisorOptions {
  readonly workspace: string;
  readonly logDirectory: string;
  readonly log: Logger;
  readonly store: DaemonStore;
  readonly rotator: LogRotator;
  readonly hub: FileWatchHub;
  readonly commands: SideCommands;
  readonly now: () => number;
  /** Instances changed (batched per tick). */
  readonly changed: (instances: readonly DaemonInstanceInfo[]) => void;
}

interface Bound {
  readonly instance: DaemonInstance;
  unbind: () => void;
  eventsKey: string;
}

export class DaemonSupervisor implements InstanceHost<DaemonInstance> {
  readonly log: Logger;
  readonly workspace: string;
  readonly logDirectory: string;
  readonly store: DaemonStore;
  readonly rotator: LogRotator;
  readonly now: () => number;
  closing = false;
  private instances = new Map<string, Bound>();
  /** Instances being stopped because they left the config; a new one with the same id waits for them. */
  private readonly retiring = new Map<string, Promise<void>>();
  private readonly dirty = new Set<DaemonInstance>();
  private flushQueued = false;
  private readonly stopSampling: () => void;

  constructor(private readonly options: SupervisorOptions) {
    this.log = options.log;
    this.workspace = options.workspace;
    this.logDirectory = options.logDirectory;
    this.store = options.store;
    this.rotator = options.rotator;
    this.now = options.now;
    this.stopSampling = sharedResourceSampler().onSample((samples) => this.sampled(samples));
  }

  /** Each daemon's figures go to its instance (published with its info, checked against its limits). */
  private sampled(samples: readonly RunSample[]): void {
    if (this.closing) return;
    const byId = new Map(this.all().map((instance) => [instance.id, instance]));
    for (const sample of samples) if (sample.part === 'daemons') byId.get(sample.id)?.sampled(sample);
  }

  /** Every instance, in start order. */
  all(): DaemonInstance[] {
    return [...this.instances.values()].map((bound) => bound.instance);
  }

  /** Instances of a task, or the one named `task:instance`. */
  find(name: string): DaemonInstance[] {
    const all = this.all();
    const exact = all.find((instance) => instance.id === name);
    return exact ? [exact] : all.filter((instance) => instance.spec.name === name);
  }

  /** Task names in start order. */
  taskNames(): string[] {
    return [...new Set(this.all().map((instance) => instance.spec.name))];
  }

  /** Applies resolved specs; on the first call, `adoptable` restores what a previous agent left. */
  apply(specs: readonly DaemonSpec[], adoptable: ReadonlyMap<string, Adoptable> | null): void {
    const plan = planReconfiguration(
      this.all().map((instance) => instance.spec),
      specs,
    );
    const next = new Map<string, Bound>();
    const fresh: DaemonInstance[] = [];
    for (const spec of specs) {
      const existing = this.instances.get(spec.id);
      if (existing) {
        next.set(spec.id, existing);
        continue;
      }
      const instance = new DaemonInstance(spec, this);
      const saved = adoptable?.get(instance.id);
      if (saved) instance.restore(saved.row, saved.live);
      next.set(spec.id, { instance, unbind: () => undefined, eventsKey: '' });
      fresh.push(instance);
    }
    const removed = [...this.instances.values()].filter((bound) => !next.has(bound.instance.spec.id));
    this.instances = next;

    for (const bound of removed) this.retire(bound);
    for (const from of plan.stop) next.get(from.id)?.instance.update(specs.find((spec) => spec.id === from.id)!);
    for (const change of plan.restart)
      next
        .get(change.to.id)!
        .instance.replace(change.to)
        .catch(reportTo(this.log, `${change.to.name}: restart`));
    for (const change of plan.keep) if (change.changed.length > 0) next.get(change.to.id)!.instance.update(change.to);
    for (const spec of plan.start) {
      const instance = next.get(spec.id)!.instance;
      if (!fresh.includes(instance)) instance.update(spec);
    }
    for (const bound of next.values()) this.rebind(bound);
    for (const instance of fresh) {
      const saved = adoptable?.get(instance.id);
      // An adopted process made from another config is replaced (a once/event run is left to finish).
      if (
        saved?.live &&
        saved.row.fingerprint !== null &&
        saved.row.fingerprint !== instance.spec.fingerprint &&
        instance.spec.control === 'wait'
      )
        instance.replace(instance.spec).catch(reportTo(this.log, `${instance.id}: restart`));
      const previous = this.retiring.get(instance.id);
      if (previous) previous.then(() => instance.reconcile()).catch(reportTo(this.log, `${instance.id}: start`));
      else instance.reconcile();
    }
  }

  private retire(bound: Bound): void {
    bound.unbind();
    const id = bound.instance.id;
    const key = bound.instance.spec.id;
    const done = bound.instance
      .retire()
      .catch(reportTo(this.log, `${id}: stop`))
      .then(() => {
        if (this.retiring.get(id) === done) this.retiring.delete(id);
        if (!this.instances.has(key)) this.store.delete(id);
      })
      .catch(reportTo(this.log, `${id}: forget`));
    this.retiring.set(id, done);
  }

  private rebind(bound: Bound): void {
    const key = JSON.stringify([
      bound.instance.spec.events,
      bound.instance.spec.argv,
      bound.instance.spec.cwd,
      bound.instance.spec.env['PATH'] ?? null,
    ]);
    if (key === bound.eventsKey) return;
    bound.unbind();
    bound.eventsKey = key;
    const instance = bound.instance;
    bound.unbind = bindEvents(instance.spec, {
      hub: this.options.hub,
      workspace: this.workspace,
      log: this.log,
      id: instance.id,
      fire: (action, cause) => this.fire(instance, action, cause),
    });
  }

  /** Runs an event action on an instance. */
  private fire(instance: DaemonInstance, action: EventAction, cause: string): void {
    if (this.closing) return;
    this.log.info(`${instance.id}: ${cause}`);
    switch (action.kind) {
      case 'stop':
        instance.bounce(cause).catch(reportTo(this.log, `${instance.id}: stop`));
        break;
      case 'signal':
        instance.signal(action.signal);
        break;
      case 'command':
        if (action.command === 'start') instance.trigger();
        else this.runCommand(instance, action.command);
        break;
      default: {
        const unreachable: never = action;
        return unreachable;
      }
    }
  }

  // ---- InstanceHost -----------------------------------------------------------

  blockedBy(spec: DaemonSpec): string[] {
    const blocked: string[] = [];
    for (const requirement of spec.requires) {
      if (requirement.waitFor === 'nothing') continue;
      const instances = this.find(requirement.task).filter((instance) => instance.spec.name === requirement.task);
      const satisfied = instances.every((instance) =>
        requirement.waitFor === 'started' ? instance.ready || instance.spec.control === 'suspend' : instance.completed,
      );
      if (!satisfied) blocked.push(requirement.task);
    }
    return blocked;
  }

  changed(instance: DaemonInstance): void {
    this.dirty.add(instance);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    try {
      this.flushNow();
    } catch (error: unknown) {
      reportTo(this.log, 'publishing daemon changes')(error);
    }
  }

  private flushNow(): void {
    this.flushQueued = false;
    const changed = [...this.dirty];
    this.dirty.clear();
    // A change may release dependents (ready, exited): let the waiting ones look again.
    for (const bound of this.instances.values()) if (bound.instance.state() === 'waiting') bound.instance.reconcile();
    const current = changed.filter((instance) => this.instances.get(instance.spec.id)?.instance === instance);
    if (current.length > 0) this.options.changed(current.map((instance) => instance.info()));
  }

  exited(instance: DaemonInstance): void {
    if (this.closing) return;
    const siblings = this.find(instance.spec.name).filter((other) => other.spec.name === instance.spec.name);
    if (siblings.some((other) => other !== instance && other.running)) return;
    for (const action of instance.spec.onexit) {
      const targets = this.find(action.task).filter((target) => target.spec.name === action.task);
      if (targets.length === 0) continue;
      this.log.info(`${instance.spec.name} exited: onexit starts '${action.task}'`);
      for (const target of targets) target.trigger();
    }
  }

  runCommand(instance: DaemonInstance, command: string): void {
    this.options.commands.run(instance.id, instance.spec, instance.files, command);
  }

  // ---- views --------------------------------------------------------------------

  /** Tasks with their instances, in start order. */
  tasks(configFile: string, lines: ReadonlyMap<string, number>): DaemonTaskInfo[] {
    const byTask = new Map<string, DaemonInstance[]>();
    for (const instance of this.all()) byTask.set(instance.spec.name, [...(byTask.get(instance.spec.name) ?? []), instance]);
    return [...byTask.entries()].map(([name, instances]) => {
      const spec = instances[0]!.spec;
      return {
        name,
        control: spec.control satisfies DaemonControl,
        count: spec.count,
        requires: spec.requires.map((requirement) => requirement.task),
        configFile,
        configLine: lines.get(name) ?? null,
        instances: instances.map((instance) => instance.info()),
      };
    });
  }

  /** Stops everything (or leaves it running for the next agent). */
  async shutdown(keepProcesses: boolean): Promise<void> {
    this.closing = true;
    this.stopSampling();
    for (const bound of this.instances.values()) bound.unbind();
    await Promise.all([...this.all().map((instance) => instance.shutdown(keepProcesses)), ...this.retiring.values()]);
  }
}
