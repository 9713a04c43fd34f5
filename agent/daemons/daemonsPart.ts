/**
 * The Daemons part: keeps the `tasks` of taskwarden.yaml running. On start it
 * remembers what a previous agent left (adopted with the first config); each
 * good config comes resolved for this host (its section, `DaemonsSection`) and
 * is applied as a reconfiguration. A change of the roles file or of an
 * env_file asks the core for a reload, which reads and checks them with
 * taskwarden.yaml. State changes go to subscribed clients as `daemons` deltas;
 * health reports crash loops and daemons that never got ready.
 */
import * as fs from 'node:fs';
import type { Logger } from '../log';
import { sharedSpawnHelper } from '../proc/spawnHelper';
import { stopProcessGroup } from '../proc/stopProcessGroup';
import type { DaemonInstanceInfo, DaemonsDelta, DaemonTaskInfo, ListDaemonsResult, SkippedDaemonInfo } from './protocol';
import type { AgentContext, AppliedConfig, Part, PartHealth } from '../core/part';
import { scanForAdoption } from './adoption';
import type { DaemonsSection } from './config/section';
import { taskLines } from './configLines';
import { FileWatchHub } from './events/fileWatch';
import { reportTo } from './failures';
import { InputFilesWatcher } from './inputFiles';
import { instanceIdOf } from './instanceSupervisor';
import { LogRotator } from '../proc/logRotator';
import { daemonLogDirectory } from './logs';
import { SideCommands } from './sideCommands';
import { DaemonStatsFeed } from './statsFeed';
import { DaemonStore, type InstanceRow } from './store';
import { DaemonSupervisor, type Adoptable } from './supervisor';
import type { RunRestart } from '../core/outputSources';
import { restartsFrom } from './restartMarkers';
import type { DaemonInstance } from './instanceSupervisor';

export class DaemonsPart implements Part<DaemonsSection> {
  readonly name = 'daemons' as const;
  private readonly log: Logger;
  private readonly store: DaemonStore;
  private readonly hub: FileWatchHub;
  private readonly rotator: LogRotator;
  private readonly commands: SideCommands;
  readonly supervisor: DaemonSupervisor;
  private readonly inputs: InputFilesWatcher;
  private savedRows: InstanceRow[] | null = null;
  private skipped: SkippedDaemonInfo[] = [];
  private lines = new Map<string, number>();
  private rolesState: { file: string | null; roles: readonly string[] | null } = { file: null, roles: null };
  private chain: Promise<unknown> = Promise.resolve();
  private lastHealthKey = '';
  private readonly statsFeed: DaemonStatsFeed;

  constructor(private readonly context: AgentContext) {
    this.log = context.log.tag('daemons');
    this.statsFeed = new DaemonStatsFeed(context.stats);
    this.store = new DaemonStore(context.db, reportTo(this.log, 'writing daemon state to the store'));
    this.hub = new FileWatchHub((message) => this.log.warn(message));
    const helper = sharedSpawnHelper();
    this.rotator = new LogRotator((message) => this.log.warn(message), {
      linger: helper ? { helper, agentLock: context.paths.lock } : null,
    });
    this.commands = new SideCommands(context.workspace, this.log);
    this.supervisor = new DaemonSupervisor({
      workspace: context.workspace,
      logDirectory: daemonLogDirectory(context.paths.logs),
      log: this.log,
      store: this.store,
      rotator: this.rotator,
      hub: this.hub,
      commands: this.commands,
      now: Date.now,
      changed: (instances) => this.instancesChanged(instances),
    });
    this.inputs = new InputFilesWatcher(this.hub, (file) => context.reloadConfig(`${file} changed`));
  }

  async start(): Promise<void> {
    fs.mkdirSync(daemonLogDirectory(this.context.paths.logs), { recursive: true });
    // Adopted with the first config, which says what each instance should be.
    this.savedRows = this.store.load();
    if (this.savedRows.length > 0) this.log.info(`${this.savedRows.length} daemon instances remembered from the previous agent`);
    await Promise.resolve();
  }

  applyConfig(config: AppliedConfig<DaemonsSection>): Promise<void> {
    return this.enqueue(() => this.applyNow(config));
  }

  /** Applies are serialized (a config applied while the previous one still adopts or stops waits for it). */
  private enqueue(work: () => void | Promise<void>): Promise<void> {
    const run = this.chain.then(work);
    this.chain = run.catch((error: unknown) =>
      this.log.error(`applying the daemons config failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    return run;
  }

  private async applyNow(config: AppliedConfig<DaemonsSection>): Promise<void> {
    const result = config.section;
    this.inputs.watch(config.inputs);
    this.rolesState = { file: config.rolesFile, roles: result.roles };
    this.lines = taskLines(config.text);
    this.skipped = result.skipped.map((skip) => ({ name: skip.task, reason: skip.reason, configLine: this.lines.get(skip.task) ?? null }));
    const adoptable = this.savedRows ? await this.adopt(this.savedRows, new Set(result.specs.map(instanceIdOf))) : null;
    this.savedRows = null;
    this.supervisor.apply(result.specs, adoptable);
    const snapshot = this.list();
    const instances = snapshot.tasks.flatMap((task) => task.instances);
    this.statsFeed.instances(instances);
    this.statsFeed.keepOnly(new Set(instances.map((instance) => instance.id)));
    this.publish({ kind: 'snapshot', ...snapshot });
    this.context.healthChanged();
  }

  /** Matches the remembered rows with live processes; stops strays and processes of instances no longer configured. */
  private async adopt(rows: readonly InstanceRow[], wanted: ReadonlySet<string>): Promise<Map<string, Adoptable>> {
    const scan = scanForAdoption(rows, this.context.workspace);
    const unwanted = [...scan.adoptable.values()].filter((entry) => !wanted.has(entry.row.id));
    for (const entry of unwanted) this.store.delete(entry.row.id);
    const victims = [
      ...scan.strays,
      ...unwanted.flatMap((entry) => (entry.live ? [{ pid: entry.live.pid, startTime: entry.live.startTicks }] : [])),
    ];
    for (const identity of victims) this.log.info(`stopping pid ${identity.pid}: a daemon process this config does not want`);
    await Promise.all(victims.map((identity) => stopProcessGroup({ identity, signal: 'SIGTERM', timeoutMs: 5000, exited: null })));
    return scan.adoptable;
  }

  // ---- state for clients -----------------------------------------------------

  list(): ListDaemonsResult {
    return {
      tasks: this.supervisor.tasks(this.context.configFile, this.lines),
      skipped: this.skipped,
      rolesFile: this.rolesState.file,
      roles: this.rolesState.roles,
    };
  }

  task(name: string): DaemonTaskInfo | null {
    return this.supervisor.tasks(this.context.configFile, this.lines).find((task) => task.name === name) ?? null;
  }

  skippedTask(name: string): SkippedDaemonInfo | null {
    return this.skipped.find((skip) => skip.name === name) ?? null;
  }

  /** An instance's restarts so far (for the marked lines of its output), oldest first. */
  restartsOf(instance: DaemonInstance): RunRestart[] {
    return restartsFrom(this.store.exitsOf(instance.id), instance.info().startedAt);
  }

  private publish(delta: DaemonsDelta): void {
    this.context.publish('daemons', delta);
  }

  private instancesChanged(instances: readonly DaemonInstanceInfo[]): void {
    this.publish({ kind: 'instances', instances });
    this.statsFeed.instances(instances);
    const key = JSON.stringify(this.health());
    if (key !== this.lastHealthKey) {
      this.lastHealthKey = key;
      this.context.healthChanged();
    }
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const instance of this.supervisor.all()) {
      const state = instance.state();
      counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
  }

  health(): PartHealth {
    const problems: { level: 'warning' | 'error'; message: string }[] = [];
    let up = 0;
    let failed = 0;
    for (const instance of this.supervisor.all()) {
      const info = instance.info();
      if (info.state === 'running') up += 1;
      if (info.state === 'crashloop') {
        failed += 1;
        problems.push({ level: 'error', message: `daemon ${info.id} is in a crash loop` });
      } else if (info.state === 'starting' && info.message) {
        problems.push({ level: 'warning', message: `daemon ${info.id}: ${info.message}` });
      }
    }
    return { summary: { up, failed }, problems };
  }

  async stop(options: { readonly keepProcesses: boolean }): Promise<void> {
    this.inputs.close();
    await this.chain.catch(() => undefined);
    await this.supervisor.shutdown(options.keepProcesses);
    this.hub.close();
    this.rotator.close();
    this.store.flush();
    if (options.keepProcesses) return;
    await this.commands.stopAll();
    // Never configured since the start (a bad config): what the previous agent left still has to go.
    if (this.savedRows) await this.adopt(this.savedRows, new Set());
    this.store.clear();
  }
}
