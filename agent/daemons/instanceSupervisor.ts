/**
 * Supervises one daemon instance (`task:instance`): starts it when its control
 * wants it and its requirements are met, restarts it after an exit per the
 * restart policy (backoff, crash loop), tracks readiness and stops. The
 * process itself (spawn, identity, adoption, rotation of its output, stop of
 * its group, time limit) is a SupervisedRun (agent/proc/supervisedRun.ts);
 * this class keeps the daemon's policy. Every change goes through
 * `reconcile()`, which compares what is wanted with what runs; so a stop that
 * arrives while the process is still being spawned is applied as soon as it
 * exists, and there is never more than one process per instance.
 *
 * The restart after an unexpected exit is the hot path: it runs inside the
 * run's `ended` callback, spawns first, and writes the store afterwards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DaemonInstanceInfo, DaemonState } from './protocol';
import { SupervisedRun, type RunEnd, type RunOptions, type RunRecord, type RunSpec, type RunStart } from '../proc/supervisedRun';
import { markedEnvironment, type WorkspaceMark } from '../proc/workspaceMarker';
import type { RunSample } from '../proc/resources/resourceSampler';
import { resolveIdentity } from './accounts';
import { RestartTracker } from './config/restartPolicy';
import type { DaemonSpec } from './config/spec';
import { instanceLogFiles, type InstanceLogFiles } from './logs';
import { reportTo } from './failures';
import { ReadinessTracker } from './instanceReadiness';
import { InstanceRecord, type LiveFacts } from './instanceRecord';
import { stopMethodOf, type StopKind } from './instanceStop';
import type { InstanceHost } from './instanceHost';
import type { InstanceRow } from './store';
import { InstanceResources } from './instanceResources';

/**
 * How often an adopted process (not our child: no exit event) is checked. Its
 * replacement is our own child, watched without polling; until then a restart
 * after an adopted process dies waits up to this long.
 */
const ADOPTED_POLL_MS = 250;
/**
 * A command that cannot be spawned (not found, not permitted) is retried no
 * sooner than this, whatever the policy says: with `initial_delay: 0` and no
 * crash-loop limit, immediate retries would otherwise spin without ever
 * yielding to the event loop.
 */
const SPAWN_RETRY_FLOOR_MS = 250;

/** The id clients and the store use for an instance: `task:instance`. */
export function instanceIdOf(spec: Pick<DaemonSpec, 'name' | 'instance'>): string {
  return `${spec.name}:${spec.instance}`;
}

type ExitStatus = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly at: number };

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export class DaemonInstance {
  readonly id: string;
  readonly files: InstanceLogFiles;
  /** The process that runs (started or adopted), until its end has been handled. */
  private run: SupervisedRun | null = null;
  /** The run being started: its options follow a reload too. */
  private startingRun: SupervisedRun | null = null;
  private spawnPromise: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private readonly tracker: RestartTracker;
  private readonly record: InstanceRecord;
  private backoff: { readonly timer: NodeJS.Timeout; readonly at: number } | null = null;
  private readonly readiness: ReadinessTracker;
  private readonly mark: WorkspaceMark;
  /** The spec's environment with the marker, built once per spec (not on every restart). */
  private spawnEnv: Readonly<Record<string, string>>;
  /** Its figures while sampled, and its `limits`. */
  private readonly resources: InstanceResources;

  constructor(
    public spec: DaemonSpec,
    private readonly host: InstanceHost<DaemonInstance>,
  ) {
    this.id = instanceIdOf(spec);
    this.resources = new InstanceResources(this.id);
    this.files = instanceLogFiles(host.logDirectory, spec.name, spec.instance);
    this.record = new InstanceRecord(spec.control);
    this.tracker = new RestartTracker(spec.restart, host.now);
    // Marks the process as ours, so a later agent can find it even if the store missed it.
    this.mark = { workspace: host.workspace, run: { part: 'daemons', id: this.id } };
    this.spawnEnv = markedEnvironment(spec.env, this.mark);
    this.readiness = new ReadinessTracker(this.id, this.files, host, () => this.readinessChanged());
  }

  private cwd(): string {
    return path.resolve(this.host.workspace, this.spec.cwd ?? '.');
  }

  private runSpec(account: { readonly uid?: number | undefined; readonly gid?: number | undefined }): RunSpec {
    return {
      id: this.id,
      argv: this.spec.argv,
      cwd: this.cwd(),
      env: this.spawnEnv,
      mark: this.mark,
      files: this.files,
      uid: account.uid,
      gid: account.gid,
      argv0: this.spec.argv0 ?? undefined,
    };
  }

  /** The run's side of the spec: stop method and timeout, time limit, rotation. */
  private runOptions(): RunOptions {
    const spec = this.spec;
    return {
      stopMethod: stopMethodOf(spec, 'stop', (command) => this.host.runCommand(this, command)),
      stopTimeoutMs: spec.stopTimeoutMs,
      timeLimitMs: spec.timeLimitMs,
      onTimeLimit: (limitMs) => {
        const note = `time_limit of ${limitMs / 1000} s reached`;
        this.host.log.info(`${this.id}: ${note}; stopping pid ${this.pid ?? '?'}`);
        this.host.changed(this);
        return note;
      },
      killGroupOnExit: true,
      rotation: { rotator: this.host.rotator, policy: spec.logs },
      // Restart markers in `taskwarden logs` go where each process's output began.
      markStart: true,
      adoptedPollMs: ADOPTED_POLL_MS,
    };
  }

  // ---- queries ------------------------------------------------------------

  get pid(): number | null {
    return this.run?.identity?.pid ?? null;
  }

  get running(): boolean {
    return this.run !== null;
  }

  get ready(): boolean {
    return this.run !== null && this.readiness.ready;
  }

  /** A `once`/`event` run finished and none is pending. */
  get completed(): boolean {
    return this.record.completedAt !== null && !this.record.pendingRun && this.run === null;
  }

  private wanted(): boolean {
    return this.record.wants(this.spec.control);
  }

  private live(): LiveFacts {
    return {
      id: this.id,
      spec: this.spec,
      run: this.run,
      stopping: this.stopping !== null,
      ready: this.readiness.ready,
      backoffUntil: this.backoff?.at ?? null,
      probeProblem: this.readiness.problem,
    };
  }

  state(): DaemonState {
    return this.record.state(this.live());
  }

  info(): DaemonInstanceInfo {
    const info = this.record.info(this.live());
    const figures = this.run ? this.resources.figures() : null;
    return figures ? { ...info, ...figures } : info;
  }

  /** The store row: what a later agent needs (the run's record with how far the log probe read). */
  row(): InstanceRow {
    this.readiness.saveOffsets();
    return this.record.row(this.live());
  }

  // ---- the loop -------------------------------------------------------------

  /** Moves toward what is wanted: start, stop, or wait for requirements. */
  reconcile(): void {
    if (this.host.closing || this.spawnPromise || this.stopping) return;
    if (this.run) {
      if (!this.wanted())
        this.stopProcess('stop', this.record.hold === 'user' ? 'stopped by user' : 'no longer wanted').catch(
          reportTo(this.host.log, `${this.id}: stop`),
        );
      return;
    }
    if (this.backoff || !this.wanted()) {
      this.setWaitingFor([]);
      return;
    }
    const blocked = this.host.blockedBy(this.spec);
    this.setWaitingFor(blocked);
    if (blocked.length === 0) this.spawn();
  }

  private setWaitingFor(names: readonly string[]): void {
    if (names.length === this.record.waitingFor.length && names.every((name, index) => name === this.record.waitingFor[index])) return;
    this.record.waitingFor = names;
    this.host.changed(this);
  }

  private spawn(): void {
    const account = resolveIdentity(this.spec.user, this.spec.group);
    if (!account.ok) return this.startFailed(account.error.message);
    const run = new SupervisedRun(this.runSpec(account.value), this.runOptions());
    // The log probe reads the new process's output from the current ends of the files.
    if (this.spec.ready?.kind === 'log') run.setOffsets(sizeOf(this.files.stdout), sizeOf(this.files.stderr));
    this.startingRun = run;
    this.spawnPromise = run
      .start()
      .then((outcome) => this.spawned(run, outcome))
      .catch((error: unknown) => {
        this.spawnPromise = null;
        this.startingRun = null;
        reportTo(this.host.log, `${this.id}: start`)(error);
      });
  }

  private spawned(run: SupervisedRun, outcome: RunStart): void {
    this.spawnPromise = null;
    this.startingRun = null;
    if (!outcome.ok) {
      const { code, message } = outcome.error;
      return this.startFailed(code === null ? message : `${code}: ${message}`);
    }
    this.follow(run);
    this.record.countStart();
    this.persist();
    this.host.changed(this);
    this.host.log.debug(`${this.id}: started pid ${outcome.value.identity.pid}`);
    // A stop that arrived while the process was being spawned applies now.
    this.reconcile();
  }

  /** Bookkeeping shared by a started and an adopted run. */
  private follow(run: SupervisedRun): void {
    this.run = run;
    run.ended.then((end) => this.onEnded(run, end)).catch(reportTo(this.host.log, `${this.id}: exit handling`));
    this.record.message = null;
    this.tracker.started();
    this.readiness.begin(run, this.spec, this.cwd(), this.spawnEnv);
    this.watchLimits();
  }

  /** Holds a sampling demand while a process with `limits` runs (a new one per run or per spec: the CPU window starts over). */
  private watchLimits(): void {
    this.resources.watch(this.run ? this.spec.limits : null);
  }

  /** A sample of this instance's process tree: published (figures in its info) when its wording moved, checked against its limits. */
  sampled(sample: RunSample): void {
    if (!this.run || sample.pid !== this.pid) return;
    const { changed, breach } = this.resources.sampled(sample);
    if (changed) this.host.changed(this);
    if (breach === null || this.stopping || this.spawnPromise) return;
    this.host.log.warn(`${this.id}: over its limit (${breach}): restarting`);
    this.stopProcess('restart', `restarted: ${breach}`).catch(reportTo(this.host.log, `${this.id}: restart over its limit`));
  }

  /**
   * A start that failed (the program is missing, not executable…) is a start
   * like any other for the figures: it counts as a restart, ends as a quick
   * exit (backoff, then crash loop) and says why in the user's words.
   */
  private startFailed(error: string): void {
    const reason = `could not start: ${error}`;
    this.host.log.warn(`${this.id}: ${reason}`);
    this.record.countStart();
    this.finishRun({ code: null, signal: null, at: this.host.now() }, false, reason, SPAWN_RETRY_FLOOR_MS, error);
  }

  private onEnded(run: SupervisedRun, end: RunEnd): void {
    if (this.run !== run) return;
    this.run = null;
    this.watchLimits();
    this.finishRun(end, run.stopRequested, end.note);
    this.host.store.recordExit({
      daemon: this.id,
      pid: run.identity?.pid ?? null,
      startedAt: run.startedAt,
      exitedAt: end.at,
      code: end.code,
      signal: end.signal,
      reason: end.note,
    });
  }

  /** After a run (or a failed start, with its error): decide what comes next, then publish. */
  private finishRun(status: ExitStatus, expected: boolean, reason: string | null, minimumDelayMs = 0, startError?: string): void {
    this.readiness.end();
    this.record.lastExit = { code: status.code, signal: status.signal, at: status.at, reason };
    if (this.spec.control === 'once' || this.spec.control === 'event') {
      this.record.pendingRun = false;
      this.record.completedAt = status.at;
    } else if (!expected && this.spec.control === 'wait' && !this.host.closing) {
      const decision = this.tracker.exited({ code: status.code, signal: status.signal, startError });
      if (decision.kind === 'crashLoop') {
        this.record.hold = 'crashloop';
        this.record.message = decision.message;
        this.host.log.warn(`${this.id}: ${decision.message}`);
      } else if (Math.max(decision.restartAfterMs, minimumDelayMs) > 0) {
        this.scheduleBackoff(Math.max(decision.restartAfterMs, minimumDelayMs));
      }
    }
    this.host.exited(this);
    this.reconcile();
    if (!this.spawnPromise) this.persist();
    this.host.changed(this);
  }

  private scheduleBackoff(delayMs: number): void {
    const timer = setTimeout(() => {
      this.backoff = null;
      this.reconcile();
      this.host.changed(this);
    }, delayMs);
    this.backoff = { timer, at: this.host.now() + delayMs };
  }

  private cancelBackoff(): void {
    if (!this.backoff) return;
    clearTimeout(this.backoff.timer);
    this.backoff = null;
  }

  private readinessChanged(): void {
    this.persist();
    this.host.changed(this);
  }

  private stopProcess(kind: StopKind, reason: string): Promise<void> {
    const run = this.run;
    if (!run) return Promise.resolve();
    if (this.stopping) return this.stopping;
    this.host.log.info(`${this.id}: stopping pid ${run.identity?.pid ?? '?'} (${reason})`);
    this.stopping = run
      .stop(
        reason,
        stopMethodOf(this.spec, kind, (command) => this.host.runCommand(this, command)),
      )
      // The end has been handled (onEnded) before the next step looks at what is wanted.
      .then(() => run.ended)
      .catch(reportTo(this.host.log, `${this.id}: stop`))
      .then(() => {
        this.stopping = null;
        this.reconcile();
        this.host.changed(this);
      })
      .catch(reportTo(this.host.log, `${this.id}: after stop`));
    this.host.changed(this);
    return this.stopping;
  }

  /**
   * Saves the row (batched with other changes), at once when it carries a decision a crash must not
   * undo: a finished once/event run (else the next agent runs it again) or a hold (else it restarts
   * what the user stopped, or a crash loop).
   */
  private persist(): void {
    if (this.host.closing) return;
    const row = this.row();
    this.host.store.save(row);
    const decided = { hold: row.hold, completedAt: row.completedAt };
    if (decided.hold === this.written.hold && decided.completedAt === this.written.completedAt) return;
    this.host.store.flush();
    this.written = decided;
  }

  /** The hold and finished run the store holds for sure (flushed), as `persist` last wrote them. */
  private written: { readonly hold: string | null; readonly completedAt: number | null } = { hold: null, completedAt: null };

  /** Resolves once no spawn or stop is in flight. */
  async settled(): Promise<void> {
    for (;;) {
      const pending = this.stopping ?? this.spawnPromise;
      if (!pending) return;
      await pending;
    }
  }

  // ---- requests -------------------------------------------------------------

  /** Start (a user, an event or onexit): clears a hold, runs a once/event task again. */
  async start(): Promise<void> {
    if (this.record.hold === 'crashloop') this.tracker.reset();
    this.record.hold = null;
    this.record.message = null;
    this.cancelBackoff();
    if (!this.run && (this.spec.control === 'once' || this.spec.control === 'event')) this.record.pendingRun = true;
    this.reconcile();
    this.persist();
    this.host.changed(this);
    await this.settled();
  }

  /** An event's `start` or another task's onexit: run a once/event task again; never overrides a user's stop. */
  trigger(): void {
    if (!this.run && (this.spec.control === 'once' || this.spec.control === 'event')) this.record.pendingRun = true;
    this.reconcile();
    this.host.changed(this);
  }

  /** Stop and hold stopped until started again. */
  async stop(reason = 'stopped by user'): Promise<void> {
    this.record.hold = 'user';
    this.cancelBackoff();
    if (this.spec.control === 'once' || this.spec.control === 'event') this.record.pendingRun = false;
    this.persist();
    this.host.changed(this);
    await this.settled();
    if (this.run) await this.stopProcess('stop', reason);
    await this.settled();
  }

  /** Stop (with the restart event, if any) and start again at once. */
  async restart(reason = 'restarted by user'): Promise<void> {
    if (this.record.hold === 'crashloop') this.tracker.reset();
    this.record.hold = null;
    this.record.message = null;
    this.cancelBackoff();
    if (this.spec.control === 'once' || this.spec.control === 'event') this.record.pendingRun = true;
    await this.settled();
    if (this.run) await this.stopProcess('restart', reason);
    else this.reconcile();
    await this.settled();
  }

  /** Forget failures: leave the crash loop and the backoff, and run again when wanted. */
  async reset(): Promise<void> {
    this.tracker.reset();
    if (this.record.hold === 'crashloop') this.record.hold = null;
    this.record.message = null;
    this.cancelBackoff();
    this.reconcile();
    this.persist();
    this.host.changed(this);
    await this.settled();
  }

  /** An event's `stop` action: stop the process; its control decides what follows (wait restarts it). */
  async bounce(reason: string): Promise<void> {
    await this.settled();
    if (this.run) await this.stopProcess('stop', reason);
  }

  /** Sends a signal to the process (an event's `signal` action, as taskforce: to the process, not the group). */
  signal(signal: NodeJS.Signals): void {
    this.run?.signal(signal);
  }

  // ---- configuration ----------------------------------------------------------

  /** A new spec whose process inputs are unchanged (or not running): applied live. */
  update(spec: DaemonSpec): void {
    const previous = this.spec;
    this.spec = spec;
    this.spawnEnv = markedEnvironment(spec.env, this.mark);
    this.tracker.setPolicy(spec.restart);
    if (previous.control !== spec.control) {
      // A process that keeps running under once/event is that control's current run.
      this.record.pendingRun =
        spec.control === 'once'
          ? this.run !== null || this.record.completedAt === null
          : spec.control === 'event'
            ? this.run !== null
            : false;
    }
    // The time limit is re-armed when it changed, rotation follows the new policy, a stop uses the new events.
    (this.run ?? this.startingRun)?.update(this.runOptions());
    if (JSON.stringify(previous.limits) !== JSON.stringify(spec.limits)) this.watchLimits();
    this.reconcile();
    this.host.changed(this);
  }

  /** A new spec that needs a new process: replace the running one (a crash loop is left, the config may fix it). */
  async replace(spec: DaemonSpec): Promise<void> {
    this.update(spec);
    if (this.record.hold === 'crashloop') {
      this.record.hold = null;
      this.tracker.reset();
    }
    await this.settled();
    if (this.run) await this.stopProcess('restart', 'config changed');
    else this.reconcile();
  }

  /** Removed from the config (or out of scope): stop for good. */
  async retire(): Promise<void> {
    this.record.hold = 'user';
    this.cancelBackoff();
    await this.settled();
    if (this.run) await this.stopProcess('stop', 'removed from the config');
    await this.settled();
  }

  /** Agent shutdown: stop the process without restarting anything. */
  async shutdown(keepProcess: boolean): Promise<void> {
    this.cancelBackoff();
    if (keepProcess) {
      // The next agent adopts it: leave it exactly as it is, with how far its output was read.
      this.host.store.save(this.row());
      this.readiness.end();
      this.run?.leave();
      this.resources.watch(null);
      return;
    }
    this.readiness.end();
    await this.settled();
    if (this.run) await this.stopProcess('stop', 'agent stopped');
  }

  // ---- adoption -------------------------------------------------------------

  /** Restores what the store remembers; with a live process (its run's record), adopts it. */
  restore(row: InstanceRow, live: RunRecord | null): void {
    const adopted = live === null ? null : SupervisedRun.adopt(live, this.runSpec({}), this.runOptions());
    const run = adopted?.ok ? adopted.value : null;
    this.record.restore(row, this.spec, run !== null);
    if (!run) return;
    this.readiness.restoreReady(row.ready);
    this.follow(run);
    this.host.log.info(`${this.id}: adopted pid ${live?.pid ?? '?'}`);
  }
}
