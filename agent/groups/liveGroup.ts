/**
 * One group in the agent: its runner process (a SupervisedRun marked
 * `TASKWARDEN_RUN=groups:<name>`, restarted with backoff when it dies, adopted
 * after an agent restart), the runner's connection (the runner is a client of
 * the agent), its rounds as the runner reports them, its live params and its
 * tasklets' status. The runner schedules its own rounds, so an agent restart
 * never doubles them; the agent only records, controls and restarts.
 */
import type { ClientHandle } from '../core/rpc';
import type { Logger } from '../log';
import { SupervisedRun, type RunEnd, type RunOptions, type RunSpec } from '../proc/supervisedRun';
import type { Diagnostic } from '../protocol/diagnostics';
import {
  RunnerParamsNotification,
  RunnerReportNotification,
  RunnerRunRoundNotification,
  RunnerSetupNotification,
  type GroupParams,
  type GroupRound,
  type GroupState,
  type GroupStatus,
  type GroupSummary,
  type RunnerHelloParams,
  type RunnerHelloResult,
  type RunnerHungParams,
  type RunnerLoadedParams,
  type RunnerRoundEndedParams,
  type RunnerSetup,
  type TaskletLanguage,
  type TaskletStatus,
} from '../protocol/groups';
import type { GroupStore, StoredGroup } from './groupStore';
import { TaskletBoard } from './groupStatus';
import { problemAt } from './problemAt';
import { groupRoundOf, recordOf, type RoundRecord } from './roundRecord';

/** What the part's config and folder scan say of one group. */
export interface GroupSettings {
  readonly name: string;
  readonly folder: string;
  readonly paramsFolder: string;
  readonly intervalMs: number;
  readonly timeLimitMs: number;
  readonly enabled: boolean;
  readonly history: number;
  readonly language: TaskletLanguage | null;
  /** Why it cannot run (mixed languages, python3 missing), or null. */
  readonly broken: string | null;
}

/** What a group needs of its part. */
export interface GroupHost {
  readonly log: Logger;
  readonly store: GroupStore;
  runSpec(settings: GroupSettings): RunSpec;
  runOptions(): RunOptions;
  changed(group: LiveGroup): void;
  /** A round ended (its group's summary changed too); `paramsChanged`: its params differ from the previous round's. */
  roundRecorded(group: LiveGroup, round: RoundRecord, paramsChanged: boolean): void;
  paramsChanged(group: LiveGroup): void;
  /** How long its runner may hold round reports without news (0 while a client watches the groups). */
  holdMs(): number;
}

const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000];
/** A runner that lived this long restarts after the shortest backoff again. */
const STABLE_MS = 30_000;
const STOP_NOTE = 'the group was stopped';

export class LiveGroup {
  run: SupervisedRun | null = null;
  private session: ClientHandle | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAt: number | null = null;
  private failures = 0;
  runnerRestarts = 0;
  private startedAt: number | null = null;
  private rounds: number;
  private lastRoundAt: number | null;
  private lastRoundEnd: number | null = null;
  private inProgress: { readonly round: number; readonly startedAt: number } | null = null;
  private hung: RunnerHungParams | null = null;
  private readonly tasklets: TaskletBoard;
  /** The tasklet names of the runner's last round report (its reports name them only when they change). */
  private reportedNames: readonly string[] = [];
  private loaderProblems: readonly Diagnostic[] = [];
  paramsProblems: readonly Diagnostic[] = [];
  paramsFile: string | null = null;
  params: GroupParams;
  paramsAt: number | null;
  paramsText: string | null;
  /** A user's `group stop` (kept in the store). */
  private stopped: boolean;
  private removed = false;
  /** `group run --wait`: the first round from `round` on that started at `notBefore` or later. */
  private readonly roundWaiters = new Set<{ round: number; notBefore: number; done: (round: GroupRound) => void }>();
  private runNowPending = false;
  /** Reads waiting for the runner's answer to `runner/report` (its next `roundsEnded`). */
  private readonly reportWaiters = new Set<() => void>();

  constructor(
    public settings: GroupSettings,
    stored: StoredGroup | null,
    private readonly host: GroupHost,
  ) {
    this.rounds = stored?.rounds ?? 0;
    this.lastRoundAt = stored?.lastRoundAt ?? null;
    this.tasklets = new TaskletBoard(stored?.tasklets ?? []);
    this.params = stored?.params ?? {};
    this.paramsAt = stored?.paramsAt ?? null;
    this.paramsText = stored?.paramsText ?? null;
    this.stopped = stored?.stopped ?? false;
  }

  get name(): string {
    return this.settings.name;
  }

  get active(): boolean {
    return !this.stopped && this.settings.enabled;
  }

  // ---- the runner process -------------------------------------------------

  /** Adopts the runner a previous agent left (same pid and start time), if any. */
  adopt(stored: StoredGroup): boolean {
    if (stored.run === null) return false;
    const outcome = SupervisedRun.adopt(stored.run, this.host.runSpec(this.settings), this.host.runOptions());
    if (!outcome.ok) {
      this.host.store.setRun(this.name, null);
      return false;
    }
    this.run = outcome.value;
    this.startedAt = this.active ? (stored.run.startedAt ?? Date.now()) : null;
    this.watch(outcome.value);
    this.host.log.info(`adopted the runner of group ${this.name} (pid ${stored.run.pid})`);
    return true;
  }

  /** Starts the runner unless one runs, the group is broken, or a restart waits. */
  ensureRunner(): void {
    if (this.removed || this.run?.live === true || this.restartTimer !== undefined) return;
    // A stopped group keeps its runner (no rounds, tasklets still loaded); a disabled or broken one has none.
    if (this.settings.broken !== null || !this.settings.enabled) return;
    const run = new SupervisedRun(this.host.runSpec(this.settings), this.host.runOptions());
    this.run = run;
    if (this.active && this.startedAt === null) this.startedAt = Date.now();
    void run.start().then((started) => {
      if (!started.ok) {
        this.host.log.warn(`group ${this.name}: cannot start its runner: ${started.error.message}`);
        this.run = null;
        this.scheduleRestart();
        return;
      }
      this.host.store.setRun(this.name, run.record());
      this.watch(run);
    });
    this.host.changed(this);
  }

  private watch(run: SupervisedRun): void {
    void run.ended.then((end) => this.runnerEnded(run, end));
  }

  private runnerEnded(run: SupervisedRun, end: RunEnd): void {
    if (this.run !== run) return;
    this.run = null;
    this.session = null;
    this.host.store.setRun(this.name, null);
    const hang = this.hung !== null;
    if (this.inProgress !== null || hang) this.recordLostRound(end);
    this.hung = null;
    if (end.reason === 'stopped' || this.removed) {
      this.host.changed(this);
      return;
    }
    const lived = end.at - (run.startedAt ?? end.at);
    // A runner killed for a tasklet that never returned is not a faulty runner: it restarts at once.
    if (lived >= STABLE_MS || hang) this.failures = 0;
    const how = end.code !== null ? `exit code ${end.code}` : end.signal !== null ? `signal ${end.signal}` : 'an unknown end';
    this.host.log.warn(`group ${this.name}: its runner ended (${how}); restarting it`);
    this.runnerRestarts += 1;
    this.scheduleRestart();
  }

  /** A round the runner never reported the end of: the tasklet it hung in (watchdog), or the runner's death. */
  private recordLostRound(end: RunEnd): void {
    // The watchdog's report names the round even when its start notice never left the blocked runner.
    const progress = this.inProgress ?? { round: this.hung!.round, startedAt: this.hung!.startedAt };
    const hung = this.hung !== null && this.hung.round === progress.round ? this.hung : null;
    const round = recordOf({
      group: this.name,
      round: progress.round,
      startedAt: progress.startedAt,
      endedAt: end.at,
      endedBy: hung !== null ? 'runner-killed' : 'runner-died',
      results:
        hung !== null
          ? [
              ...hung.results,
              {
                name: hung.name,
                outcome: 'timeout',
                matched: null,
                startedAt: hung.startedAt,
                durationMs: end.at - hung.startedAt,
                error: {
                  message: `did not return within its time limit (${this.settings.timeLimitMs / 1000} s); the runner was killed and restarted`,
                  stack: [],
                },
              },
            ]
          : [],
    });
    this.inProgress = null;
    this.hung = null;
    this.finishRound(round, null);
  }

  private scheduleRestart(): void {
    if (this.removed || this.restartTimer !== undefined) return;
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
    this.failures += 1;
    this.restartAt = Date.now() + delay;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartAt = null;
      this.ensureRunner();
    }, delay);
    this.host.changed(this);
  }

  // ---- the runner's reports -------------------------------------------------

  setup(): RunnerSetup {
    return {
      group: this.name,
      folder: this.settings.folder,
      intervalMs: this.settings.intervalMs,
      timeLimitMs: this.settings.timeLimitMs,
      active: this.active,
      nextRound: this.rounds + 1,
      notBefore: 0,
      lastRuns: this.tasklets.lastRuns(),
      holdMs: this.host.holdMs(),
    };
  }

  /** A runner says hello: it must be this group's (same pid); a fresh one gets the params back. */
  hello(params: RunnerHelloParams, client: ClientHandle): RunnerHelloResult | string {
    const pid = this.run?.identity?.pid;
    if (pid !== params.pid) return `pid ${params.pid} is not the runner of group ${this.name}${pid === undefined ? '' : ` (pid ${pid})`}`;
    this.session = client;
    client.onClose(() => {
      if (this.session === client) this.session = null;
    });
    const result: RunnerHelloResult = { setup: this.setup(), params: params.reconnect ? null : this.params, recordedRound: this.rounds };
    if (this.runNowPending) {
      this.runNowPending = false;
      queueMicrotask(() => this.session?.sendNotification(RunnerRunRoundNotification.type, { group: this.name }));
    }
    this.host.changed(this);
    return result;
  }

  loaded(report: RunnerLoadedParams): void {
    this.tasklets.loaded(report.tasklets);
    this.loaderProblems = report.problems;
    this.host.store.setTasklets(this.name, this.tasklets.statuses());
    this.host.changed(this);
  }

  roundStarted(round: number, startedAt: number): void {
    this.inProgress = { round, startedAt };
    this.host.changed(this);
  }

  /** The runner's reports of ended rounds, in order (several when it held them, none when asked for them and it held none). */
  roundsEnded(reports: readonly RunnerRoundEndedParams[]): void {
    for (const report of reports) this.roundEnded(report);
    for (const waiter of this.reportWaiters) waiter();
    this.reportWaiters.clear();
  }

  /**
   * Resolves once the runner sent the round reports it holds (asked with `runner/report`), at once
   * without a runner, or after `timeoutMs` (a runner inside a tasklet that blocks reads nothing).
   */
  collectHeld(timeoutMs: number): Promise<void> {
    const session = this.session;
    if (session === null || this.host.holdMs() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.reportWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.reportWaiters.add(done);
      session.sendNotification(RunnerReportNotification.type, { group: this.name });
    });
  }

  private roundEnded(report: RunnerRoundEndedParams): void {
    // A report sent again after an agent restart (see agentLink.ts) that this agent had stored already.
    if (report.round <= this.rounds && this.rounds > 0 && report.startedAt <= (this.lastRoundAt ?? 0)) return;
    if (this.inProgress?.round === report.round) this.inProgress = null;
    this.lastRoundEnd = report.endedAt;
    if (report.names !== undefined) this.reportedNames = report.names;
    const round: RoundRecord = {
      group: this.name,
      round: report.round,
      startedAt: report.startedAt,
      endedAt: report.endedAt,
      endedBy: report.endedBy,
      names: this.reportedNames,
      results: report.results,
    };
    this.finishRound(round, report.params ?? null);
  }

  hungReport(report: RunnerHungParams): void {
    this.hung = report;
    this.host.log.warn(`group ${this.name}: tasklet ${report.name} did not return; its runner kills itself`);
  }

  /** `params`: the params at the round's end, null when they did not change. */
  private finishRound(round: RoundRecord, params: GroupParams | null): void {
    this.rounds = Math.max(this.rounds, round.round);
    this.lastRoundAt = round.startedAt;
    this.tasklets.apply(round);
    if (params !== null) {
      this.params = params;
      this.paramsAt = round.endedAt;
    }
    this.host.store.recordRound(round, params, this.rounds, () => this.tasklets.statuses(), this.settings.history);
    this.host.roundRecorded(this, round, params !== null);
    for (const waiter of this.roundWaiters)
      if (round.round >= waiter.round && round.startedAt >= waiter.notBefore) {
        this.roundWaiters.delete(waiter);
        waiter.done(groupRoundOf(round));
      }
  }

  // ---- control --------------------------------------------------------------

  /** `group start` (true) / `group stop` (false); returns whether the state changed. */
  setStopped(stopped: boolean): boolean {
    if (this.stopped === stopped) return false;
    this.stopped = stopped;
    this.host.store.setStopped(this.name, stopped);
    this.startedAt = this.active ? Date.now() : null;
    this.sendSetup();
    if (this.active) this.ensureRunner();
    this.host.changed(this);
    return true;
  }

  /**
   * Runs a round now (after the one in progress); returns the number the round will likely have: a
   * round's start is told only when it lasts (the runner's STARTED_NOTICE_MS), so one that began just
   * now is not known yet. `waitForRound` finds the right one by its start.
   */
  runNow(): number {
    if (this.session !== null) this.session.sendNotification(RunnerRunRoundNotification.type, { group: this.name });
    else this.runNowPending = true;
    return this.inProgress !== null ? this.inProgress.round + 1 : this.rounds + 1;
  }

  /** Resolves with the first round recorded from `round` on that started at `notBefore` or later (null at the deadline). */
  waitForRound(round: number, notBefore: number, timeoutMs: number): Promise<GroupRound | null> {
    return new Promise((resolve) => {
      const waiter = {
        round,
        notBefore,
        done: (record: GroupRound) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      const timer = setTimeout(() => {
        this.roundWaiters.delete(waiter);
        resolve(null);
      }, timeoutMs);
      this.roundWaiters.add(waiter);
    });
  }

  /** New settings from the config or a folder scan: tell the runner; a folder or language change restarts it. */
  reconfigure(settings: GroupSettings): void {
    const previous = this.settings;
    this.settings = settings;
    if (previous.folder !== settings.folder || previous.language !== settings.language || !settings.enabled || settings.broken !== null)
      void this.run?.stop(settings.enabled ? 'its group changed' : 'its group was disabled');
    else this.sendSetup();
    if (previous.enabled !== settings.enabled) this.startedAt = this.active ? Date.now() : null;
    this.ensureRunner();
    this.host.changed(this);
  }

  /** Whether a client watches changed: the runner holds round reports only while none does. */
  watchersChanged(): void {
    this.sendSetup();
  }

  private sendSetup(): void {
    this.session?.sendNotification(RunnerSetupNotification.type, this.setup());
  }

  /** The params file was edited: the in-memory params are replaced (the runner logs it). */
  paramsFromFile(params: GroupParams, file: string, text: string | null): void {
    this.params = params;
    this.paramsAt = Date.now();
    this.paramsText = text;
    this.host.store.setParamsFromFile(this.name, params, this.paramsAt, text);
    this.session?.sendNotification(RunnerParamsNotification.type, { group: this.name, params, file });
    this.host.paramsChanged(this);
  }

  /** Leaves the runner for the next agent (keep) or stops it; a removed group stops for good. */
  async close(options: { readonly keepProcesses: boolean; readonly removed: boolean }): Promise<void> {
    this.removed = options.removed || !options.keepProcesses;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const run = this.run;
    if (run === null) return;
    if (options.keepProcesses && !options.removed) {
      this.host.store.setRun(this.name, run.record());
      run.leave();
      return;
    }
    await run.stop(options.removed ? 'its group was removed' : STOP_NOTE);
  }

  // ---- what clients see ---------------------------------------------------

  state(): GroupState {
    if (this.settings.broken !== null) return 'broken';
    if (!this.active) return 'stopped';
    if (this.restartTimer !== undefined) return 'restarting';
    if (this.run === null || this.session === null) return 'starting';
    return 'running';
  }

  problems(): Diagnostic[] {
    const broken = this.settings.broken === null ? [] : [problemAt(this.settings.folder, 1, this.settings.broken)];
    return [...broken, ...this.loaderProblems, ...this.paramsProblems];
  }

  summary(): GroupSummary {
    const state = this.state();
    const nextRoundAt =
      state !== 'running' || this.inProgress !== null || this.lastRoundAt === null
        ? null
        : Math.max(this.lastRoundAt + this.settings.intervalMs, this.lastRoundEnd ?? 0);
    return {
      name: this.name,
      state,
      folder: this.settings.folder,
      paramsFile: this.paramsFile,
      language: this.settings.language,
      intervalSeconds: this.settings.intervalMs / 1000,
      timeLimitSeconds: this.settings.timeLimitMs / 1000,
      enabled: this.settings.enabled,
      pid: this.run?.identity?.pid ?? null,
      startedAt: this.active ? this.startedAt : null,
      rounds: this.rounds,
      lastRoundAt: this.lastRoundAt,
      nextRoundAt: state === 'restarting' ? this.restartAt : nextRoundAt,
      roundInProgress: this.inProgress?.round ?? null,
      runnerRestarts: this.runnerRestarts,
      tasklets: this.tasklets.size,
      problems: this.problems(),
    };
  }

  /** Each tasklet's last match, run, duration and error. */
  get taskletStatus(): readonly TaskletStatus[] {
    return this.tasklets.statuses();
  }

  status(): GroupStatus {
    return { ...this.summary(), taskletStatus: this.tasklets.statuses() };
  }
}
