/**
 * The Process groups part in the agent: a LiveGroup per sub-folder of the
 * groups root (picked up and dropped live), each with its runner process; the
 * params files watched and handed to the runners; rounds recorded; deltas on
 * the `groups` topic. The runners schedule their own rounds (liveGroup.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentContext, AppliedConfig, Part, PartHealth } from '../core/part';
import type { Logger } from '../log';
import { DEFAULT_ROTATION_POLICY } from '../proc/logRotation';
import { LogRotator } from '../proc/logRotator';
import { sharedSpawnHelper } from '../proc/spawnHelper';
import type { RunOptions, RunSpec } from '../proc/supervisedRun';
import type { GroupsDelta, GroupSummary } from '../protocol/groups';
import { socketPathFor } from '../protocol/socketPath';
import { PROTOCOL_VERSION } from '../protocol/version';
import type { GroupsConfig } from './config/groupsConfig';
import { groupFolders, groupSettings, sameSettings } from './groupFolders';
import { GroupStore, type StoredGroup } from './groupStore';
import { LiveGroup, type GroupHost, type GroupSettings } from './liveGroup';
import { readParamsFile } from './params/paramsFile';
import { groupRoundOf, type RoundRecord } from './roundRecord';

/** V8 flags of a runner: a small, mostly idle process (see agent/cli/agentClient.ts for the agent's). */
const RUNNER_NODE_FLAGS = ['--max-semi-space-size=1', '--single-threaded'];
const STOP_TIMEOUT_MS = 2000;
const RESCAN_DEBOUNCE_MS = 150;
const ROOT_POLL_MS = 2000;
/**
 * While no client watches the groups, a runner sends the reports of rounds without news at most this
 * often, several in one message (agentLink.ts): 20 groups at 1 s were 20 messages a second to wake
 * for, read and parse. A runner killed with SIGKILL loses at most this much of such rounds.
 */
const HOLD_MS = 5000;
/** How long a client's read waits for the runners' held reports (a runner stuck in a tasklet answers late). */
const COLLECT_WAIT_MS = 300;

export class GroupsPart implements Part<GroupsConfig>, GroupHost {
  readonly name = 'groups' as const;
  readonly log: Logger;
  readonly store: GroupStore;
  readonly logsDir: string;
  readonly startedAt = Date.now();
  readonly groups = new Map<string, LiveGroup>();
  config: GroupsConfig | null = null;
  private stored = new Map<string, StoredGroup>();
  private readonly rotator: LogRotator;
  private rootWatcher: fs.FSWatcher | null = null;
  private watchedRoot: string | null = null;
  private rootPoll: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private readonly paramsWatchers = new Map<string, { folder: string; watcher: fs.FSWatcher | null; timer?: NodeJS.Timeout }>();
  private readonly pendingChanged = new Set<string>();
  private readonly pendingRounds: RoundRecord[] = [];
  private readonly pendingParams = new Set<string>();
  private publishScheduled = false;
  /** Whether a client was subscribed to the groups when the runners were last told (their `holdMs`). */
  private watched = false;
  /** The groups' health as last told to the core (a round changes no state: no health to recompute). */
  private healthKey = '';
  private closing = false;

  constructor(private readonly context: AgentContext) {
    this.log = context.log.tag('groups');
    this.store = new GroupStore(context.db);
    this.logsDir = path.join(context.paths.logs, 'groups');
    const helper = sharedSpawnHelper();
    this.rotator = new LogRotator((message) => this.log.warn(message), {
      linger: helper ? { helper, agentLock: context.paths.lock } : null,
    });
  }

  get workspace(): string {
    return this.context.workspace;
  }

  // ---- GroupHost ------------------------------------------------------------

  outputFiles(name: string): { stdout: string; stderr: string } {
    const stamp = name.replace(/[^A-Za-z0-9_.-]/g, '_');
    return { stdout: path.join(this.logsDir, `${stamp}.out`), stderr: path.join(this.logsDir, `${stamp}.err`) };
  }

  runSpec(settings: GroupSettings): RunSpec {
    const argv =
      settings.language === 'python'
        ? [
            'python3',
            '-u',
            path.join(__dirname, 'groupRunner.py'),
            this.workspace,
            settings.name,
            socketPathFor({ workspace: this.workspace }),
            String(PROTOCOL_VERSION),
          ]
        : [process.execPath, ...RUNNER_NODE_FLAGS, path.join(__dirname, 'groupRunner.js'), this.workspace, settings.name];
    return {
      id: `group:${settings.name}`,
      argv,
      cwd: fs.existsSync(settings.folder) ? settings.folder : this.workspace,
      env: { ...process.env } as Record<string, string>,
      mark: { workspace: this.workspace, run: { part: 'groups', id: settings.name } },
      files: this.outputFiles(settings.name),
    };
  }

  runOptions(): RunOptions {
    return {
      stopMethod: { kind: 'signal', signal: 'SIGTERM' },
      stopTimeoutMs: STOP_TIMEOUT_MS,
      timeLimitMs: null,
      killGroupOnExit: true,
      rotation: { rotator: this.rotator, policy: DEFAULT_ROTATION_POLICY },
    };
  }

  changed(group: LiveGroup): void {
    this.pendingChanged.add(group.name);
    this.schedulePublish();
  }

  roundRecorded(group: LiveGroup, round: RoundRecord, paramsChanged: boolean): void {
    this.context.stats.record({ metric: 'roundDuration', subject: group.name }, round.endedAt - round.startedAt, ROUND_UNIT, round.endedAt);
    // A round changes no group's state (no health to check): with no client to tell, nothing more to do.
    if (!this.context.subscribed('groups')) return;
    this.pendingRounds.push(round);
    if (paramsChanged) this.pendingParams.add(group.name);
    this.changed(group);
  }

  paramsChanged(group: LiveGroup): void {
    this.pendingParams.add(group.name);
    this.changed(group);
  }

  holdMs(): number {
    return this.watched ? 0 : HOLD_MS;
  }

  subscriptionsChanged(): void {
    const watched = this.context.subscribed('groups');
    if (watched === this.watched) return;
    this.watched = watched;
    for (const group of this.groups.values()) group.watchersChanged();
  }

  /** A client reads rounds: the runners send what they hold first. */
  async collectHeld(groups: readonly LiveGroup[]): Promise<void> {
    await Promise.all(groups.map((group) => group.collectHeld(COLLECT_WAIT_MS)));
  }

  private publish(delta: GroupsDelta): void {
    this.context.publish('groups', delta);
  }

  /**
   * What changed in one turn of the event loop goes out once, at its end: the rounds recorded
   * (each with its group's tasklet status at the end of the turn), each group's params once, and one delta with
   * the summaries of the groups that changed. Twenty groups ending rounds together cost one
   * health check, not twenty, and one only when a group's state changed. With no client
   * subscribed to the groups, no delta is made at all (a round's 100 results stay packed).
   */
  private schedulePublish(): void {
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    setImmediate(() => {
      this.publishScheduled = false;
      this.healthMayHaveChanged();
      if (!this.context.subscribed('groups')) {
        this.pendingRounds.length = 0;
        this.pendingParams.clear();
        this.pendingChanged.clear();
        return;
      }
      for (const round of this.pendingRounds.splice(0)) {
        const group = this.groups.get(round.group);
        if (group) this.publish({ kind: 'round', round: groupRoundOf(round), tasklets: group.taskletStatus });
      }
      for (const name of this.pendingParams) {
        const group = this.groups.get(name);
        if (group) this.publish({ kind: 'params', group: name, params: group.params, updatedAt: group.paramsAt ?? Date.now() });
      }
      this.pendingParams.clear();
      const groups = [...this.pendingChanged].flatMap((name) => {
        const group = this.groups.get(name);
        return group ? [group.summary()] : [];
      });
      this.pendingChanged.clear();
      if (groups.length > 0) this.publish({ kind: 'groups', groups });
    });
  }

  private healthMayHaveChanged(): void {
    const key = JSON.stringify(this.health());
    if (key === this.healthKey) return;
    this.healthKey = key;
    this.context.healthChanged();
  }

  // ---- Part -------------------------------------------------------------------

  async start(): Promise<void> {
    fs.mkdirSync(this.logsDir, { recursive: true, mode: 0o700 });
    this.stored = new Map(this.store.loadAll().map((row) => [row.name, row]));
  }

  async applyConfig(applied: AppliedConfig<GroupsConfig>): Promise<void> {
    this.config = applied.section;
    if (!applied.section.configured) {
      this.unwatchRoot();
      await this.removeGroups([...this.groups.keys()]);
      await this.stopUnclaimedRunners([]);
      return;
    }
    this.watchRoot(applied.section.root);
    await this.rescan();
  }

  /** Brings the groups in line with the root's folders and the config. */
  async rescan(): Promise<void> {
    const config = this.config;
    if (config === null || !config.configured || this.closing) return;
    const names = groupFolders(config.root);
    const gone = [...this.groups.keys()].filter((name) => !names.includes(name));
    for (const name of names) {
      const settings = groupSettings(config, name);
      const existing = this.groups.get(name);
      if (existing) {
        if (!sameSettings(existing.settings, settings)) existing.reconfigure(settings);
        this.watchParams(existing);
        continue;
      }
      const stored = this.stored.get(name) ?? null;
      const group = new LiveGroup(settings, stored, this);
      this.groups.set(name, group);
      this.readParams(group);
      this.watchParams(group);
      if (stored === null || !group.adopt(stored)) group.ensureRunner();
      this.changed(group);
    }
    await this.removeGroups(gone);
    await this.stopUnclaimedRunners(names);
  }

  /** Runners a previous agent left for groups that are no longer there. */
  private async stopUnclaimedRunners(names: readonly string[]): Promise<void> {
    const leftovers = [...this.stored.values()].filter((row) => row.run !== null && !names.includes(row.name));
    for (const row of leftovers) {
      const config = this.config;
      if (config === null) continue;
      const orphan = new LiveGroup(groupSettings(config, row.name), row, this);
      if (orphan.adopt(row)) await orphan.close({ keepProcesses: false, removed: true });
      this.store.setRun(row.name, null);
      this.stored.set(row.name, { ...row, run: null });
    }
  }

  private async removeGroups(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await Promise.all(
      names.map(async (name) => {
        const group = this.groups.get(name);
        this.groups.delete(name);
        this.unwatchParams(name);
        await group?.close({ keepProcesses: false, removed: true });
      }),
    );
    this.publish({ kind: 'removed', names });
    this.context.healthChanged();
  }

  // ---- params files -------------------------------------------------------

  /** Reads a group's params file: an edit (text unlike the stored one) replaces the live params; a broken file keeps them. */
  readParams(group: LiveGroup): void {
    const reading = readParamsFile(group.settings.paramsFolder);
    group.paramsFile = reading.file;
    const problemsBefore = JSON.stringify(group.paramsProblems);
    group.paramsProblems = reading.problems;
    if (reading.params !== null && reading.text !== group.paramsText) {
      if (group.paramsText !== null || group.paramsAt !== null) this.log.info(`group ${group.name}: params reloaded from ${reading.file}`);
      group.paramsFromFile(reading.params, reading.file!, reading.text);
    } else if (reading.file === null && group.paramsText !== null) {
      // The file went away: the live params stay, and the next file read counts as new.
      group.paramsText = null;
    }
    if (JSON.stringify(group.paramsProblems) !== problemsBefore) this.changed(group);
  }

  private watchParams(group: LiveGroup): void {
    const folder = group.settings.paramsFolder;
    const current = this.paramsWatchers.get(group.name);
    if (current && current.folder === folder && current.watcher !== null) return;
    this.unwatchParams(group.name);
    let watcher: fs.FSWatcher | null = null;
    const entry: { folder: string; watcher: fs.FSWatcher | null; timer?: NodeJS.Timeout } = { folder, watcher };
    try {
      watcher = fs.watch(folder, () => {
        clearTimeout(entry.timer);
        entry.timer = setTimeout(() => {
          const live = this.groups.get(group.name);
          if (live) this.readParams(live);
        }, RESCAN_DEBOUNCE_MS);
      });
      watcher.on('error', () => undefined);
    } catch {
      // No folder (yet): the next rescan tries again.
    }
    entry.watcher = watcher;
    this.paramsWatchers.set(group.name, entry);
  }

  private unwatchParams(name: string): void {
    const entry = this.paramsWatchers.get(name);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.watcher?.close();
    this.paramsWatchers.delete(name);
  }

  // ---- the root folder --------------------------------------------------------

  private watchRoot(root: string): void {
    if (this.watchedRoot === root && (this.rootWatcher !== null || this.rootPoll !== undefined)) return;
    this.unwatchRoot();
    this.watchedRoot = root;
    const rescanSoon = (): void => {
      clearTimeout(this.rescanTimer);
      this.rescanTimer = setTimeout(() => void this.rescan(), RESCAN_DEBOUNCE_MS);
    };
    try {
      this.rootWatcher = fs.watch(root, rescanSoon);
      this.rootWatcher.on('error', () => undefined);
    } catch {
      // No root yet: look for it now and then.
      this.rootPoll = setInterval(() => {
        if (!fs.existsSync(root)) return;
        clearInterval(this.rootPoll);
        this.rootPoll = undefined;
        this.watchRoot(root);
        rescanSoon();
      }, ROOT_POLL_MS);
    }
  }

  private unwatchRoot(): void {
    this.rootWatcher?.close();
    this.rootWatcher = null;
    clearInterval(this.rootPoll);
    this.rootPoll = undefined;
    clearTimeout(this.rescanTimer);
    this.watchedRoot = null;
  }

  // ---- queries ------------------------------------------------------------

  summaries(): GroupSummary[] {
    return [...this.groups.values()].map((group) => group.summary());
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = { running: 0, stopped: 0 };
    for (const group of this.groups.values()) {
      const state = group.state();
      counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
  }

  health(): PartHealth {
    const problems = [...this.groups.values()]
      .filter((group) => group.state() === 'broken')
      .map((group) => ({ level: 'warning' as const, message: `group ${group.name}: ${group.settings.broken ?? 'broken'}` }));
    return { summary: this.counts(), problems };
  }

  async stop(options: { readonly keepProcesses: boolean }): Promise<void> {
    this.closing = true;
    this.unwatchRoot();
    for (const name of [...this.paramsWatchers.keys()]) this.unwatchParams(name);
    await Promise.all([...this.groups.values()].map((group) => group.close({ keepProcesses: options.keepProcesses, removed: false })));
    this.store.close();
    this.rotator.close();
  }
}

/** Rounds are recorded in the stats as their duration. */
const ROUND_UNIT = { unit: 'ms' } as const;
