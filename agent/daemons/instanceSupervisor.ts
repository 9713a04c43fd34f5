/**
 * Supervises one daemon instance (`task:instance`): spawns it when its control
 * wants it and its requirements are met, restarts it after an exit per the
 * restart policy (backoff, crash loop), tracks readiness, the time limit and
 * stops. Every change goes through `reconcile()`, which compares what is
 * wanted with what runs; so a stop that arrives while the process is still
 * being spawned is applied as soon as it exists, and there is never more than
 * one process per instance.
 *
 * The restart after an unexpected exit is the hot path: it runs inside the
 * child's exit callback, spawns first, and writes the store afterwards.
 */
import * as path from 'node:path';
import type { DaemonInstanceInfo, DaemonState } from '../protocol/daemons';
import { signalOwnGroup, watchAdopted } from '../proc/stopProcessGroup';
import { isSameProcessAlive, type ProcessIdentity } from '../proc/processIdentity';
import { spawnSupervised, type SpawnOutcome } from '../proc/spawnSupervised';
import { resolveIdentity } from './accounts';
import { RestartTracker } from './config/restartPolicy';
import type { DaemonSpec } from './config/spec';
import { instanceLogFiles, type InstanceLogFiles } from './logs';
import { reportTo } from './failures';
import { ReadinessTracker } from './instanceReadiness';
import { InstanceRecord, type LiveFacts } from './instanceRecord';
import { stopRunning, type RunningProcess, type StopKind } from './instanceStop';
import type { InstanceHost } from './instanceHost';
import type { InstanceRow } from './store';

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

export class DaemonInstance {
  readonly id: string;
  readonly files: InstanceLogFiles;
  private proc: RunningProcess | null = null;
  private spawnPromise: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private readonly tracker: RestartTracker;
  private readonly record: InstanceRecord;
  private backoff: { readonly timer: NodeJS.Timeout; readonly at: number } | null = null;
  private timeLimit: NodeJS.Timeout | undefined;
  private readonly readiness: ReadinessTracker;
  private spawnEnv: Record<string, string>;

  constructor(
    public spec: DaemonSpec,
    private readonly host: InstanceHost,
  ) {
    this.id = instanceIdOf(spec);
    this.files = instanceLogFiles(host.logDirectory, spec.name, spec.instance);
    this.record = new InstanceRecord(spec.control);
    this.tracker = new RestartTracker(spec.restart, host.now);
    this.spawnEnv = this.environmentOf(spec);
    this.readiness = new ReadinessTracker(this.id, this.files, host, () => this.readinessChanged());
  }

  private environmentOf(spec: DaemonSpec): Record<string, string> {
    // Marks the process as ours, so a later agent can find it even if the store missed it.
    return { ...spec.env, TASKWARDEN_DAEMON: this.id, TASKWARDEN_WORKSPACE: this.host.workspace };
  }

  // ---- queries ------------------------------------------------------------

  get pid(): number | null {
    return this.proc?.identity.pid ?? null;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  get ready(): boolean {
    return this.proc !== null && this.readiness.ready;
  }

  /** A `once`/`event` run finished and none is pending. */
  get completed(): boolean {
    return this.record.completedAt !== null && !this.record.pendingRun && this.proc === null;
  }

  private wanted(): boolean {
    return this.record.wants(this.spec.control);
  }

  private live(): LiveFacts {
    return {
      id: this.id,
      spec: this.spec,
      proc: this.proc,
      stopping: this.stopping !== null,
      ready: this.readiness.ready,
      backoffUntil: this.backoff?.at ?? null,
      probeProblem: this.readiness.problem,
      offsets: this.readiness.offsets(),
    };
  }

  state(): DaemonState {
    return this.record.state(this.live());
  }

  info(): DaemonInstanceInfo {
    return this.record.info(this.live());
  }

  /** The store row: what a later agent needs. */
  row(): InstanceRow {
    return this.record.row(this.live());
  }

  // ---- the loop -------------------------------------------------------------

  /** Moves toward what is wanted: start, stop, or wait for requirements. */
  reconcile(): void {
    if (this.host.closing || this.spawnPromise || this.stopping) return;
    if (this.proc) {
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
    const identity = resolveIdentity(this.spec.user, this.spec.group);
    if (!identity.ok) return this.startFailed(identity.message);
    if (this.spec.ready?.kind === 'log') this.readiness.markOffsets();
    this.spawnPromise = spawnSupervised({
      argv: this.spec.argv,
      cwd: path.resolve(this.host.workspace, this.spec.cwd ?? '.'),
      env: this.spawnEnv,
      stdoutFile: this.files.stdout,
      stderrFile: this.files.stderr,
      uid: identity.uid,
      gid: identity.gid,
      argv0: this.spec.argv0 ?? undefined,
    })
      .then((outcome) => this.spawned(outcome))
      .catch((error: unknown) => {
        this.spawnPromise = null;
        reportTo(this.host.log, `${this.id}: start`)(error);
      });
  }

  private spawned(outcome: SpawnOutcome): void {
    this.spawnPromise = null;
    if (!outcome.ok) return this.startFailed(outcome.code === null ? outcome.message : `${outcome.code}: ${outcome.message}`);
    const { child } = outcome;
    const proc: RunningProcess = {
      identity: child.identity,
      startedAt: child.startedAt,
      exited: child.exited,
      adopted: false,
      stopRequested: false,
      stopReason: null,
    };
    this.proc = proc;
    child.exited.then((status) => this.onExit(proc, status)).catch(reportTo(this.host.log, `${this.id}: exit handling`));
    this.began(proc);
    this.record.countStart();
    this.persist();
    this.host.changed(this);
    this.host.log.debug(`${this.id}: started pid ${proc.identity.pid}`);
    // A stop that arrived while the process was being spawned applies now.
    this.reconcile();
  }

  /** Bookkeeping shared by a spawned and an adopted process. */
  private began(proc: RunningProcess): void {
    this.record.message = null;
    this.tracker.started();
    this.readiness.begin(this.spec, proc.startedAt, path.resolve(this.host.workspace, this.spec.cwd ?? '.'), this.spawnEnv);
    this.armTimeLimit(proc);
    this.host.rotator.watch(this.id, this.files, this.spec.logs, proc.identity, (stream, removed) =>
      this.readiness.rotated(stream, removed),
    );
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
    this.finishRun({ code: null, signal: null, at: this.host.now() }, null, reason, SPAWN_RETRY_FLOOR_MS, error);
  }

  private onExit(proc: RunningProcess, status: ExitStatus): void {
    if (this.proc !== proc) return;
    this.proc = null;
    proc.cancelWatch?.();
    // A leader that died on its own may leave workers in its group: they go too.
    if (!proc.stopRequested) signalOwnGroup(proc.identity, 'SIGKILL');
    this.finishRun(status, proc, proc.stopReason);
    this.host.store.recordExit({
      daemon: this.id,
      pid: proc.identity.pid,
      startedAt: proc.startedAt,
      exitedAt: status.at,
      code: status.code,
      signal: status.signal,
      reason: proc.stopReason,
    });
  }

  /** After a run (or a failed start, with its error): decide what comes next, then publish. */
  private finishRun(status: ExitStatus, proc: RunningProcess | null, reason: string | null, minimumDelayMs = 0, startError?: string): void {
    clearTimeout(this.timeLimit);
    this.readiness.end();
    this.host.rotator.unwatch(this.id);
    this.record.lastExit = { code: status.code, signal: status.signal, at: status.at, reason };
    const expected = proc?.stopRequested === true;
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

  private armTimeLimit(proc: RunningProcess): void {
    clearTimeout(this.timeLimit);
    const limit = this.spec.timeLimitMs;
    if (limit === null) return;
    const left = Math.max(0, proc.startedAt + limit - this.host.now());
    this.timeLimit = setTimeout(() => {
      if (this.proc !== proc) return;
      this.host.log.info(`${this.id}: time_limit of ${limit / 1000} s reached; stopping pid ${proc.identity.pid}`);
      this.stopProcess('stop', `time_limit of ${limit / 1000} s reached`).catch(reportTo(this.host.log, `${this.id}: time_limit stop`));
    }, left);
  }

  private readinessChanged(): void {
    this.persist();
    this.host.changed(this);
  }

  private stopProcess(kind: StopKind, reason: string): Promise<void> {
    const proc = this.proc;
    if (!proc) return Promise.resolve();
    if (this.stopping) return this.stopping;
    proc.stopRequested = true;
    proc.stopReason = reason;
    this.host.log.info(`${this.id}: stopping pid ${proc.identity.pid} (${reason})`);
    this.stopping = stopRunning(proc, this.spec, kind, (command) => this.host.runCommand(this, command))
      .catch(reportTo(this.host.log, `${this.id}: stop`))
      .then(() => {
        // An adopted process has no exit event: its stop is its exit.
        if (this.proc === proc) this.onExit(proc, { code: null, signal: null, at: this.host.now() });
      })
      .catch(reportTo(this.host.log, `${this.id}: exit handling`))
      .then(() => {
        this.stopping = null;
        this.reconcile();
        this.host.changed(this);
      })
      .catch(reportTo(this.host.log, `${this.id}: after stop`));
    this.host.changed(this);
    return this.stopping;
  }

  private persist(): void {
    if (!this.host.closing) this.host.store.save(this.row());
  }

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
    if (!this.proc && (this.spec.control === 'once' || this.spec.control === 'event')) this.record.pendingRun = true;
    this.reconcile();
    this.persist();
    this.host.changed(this);
    await this.settled();
  }

  /** An event's `start` or another task's onexit: run a once/event task again; never overrides a user's stop. */
  trigger(): void {
    if (!this.proc && (this.spec.control === 'once' || this.spec.control === 'event')) this.record.pendingRun = true;
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
    if (this.proc) await this.stopProcess('stop', reason);
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
    if (this.proc) await this.stopProcess('restart', reason);
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
    if (this.proc) await this.stopProcess('stop', reason);
  }

  /** Sends a signal to the process (an event's `signal` action, as taskforce: to the process, not the group). */
  signal(signal: NodeJS.Signals): void {
    const proc = this.proc;
    // An adopted process may have died unnoticed, and its pid be someone else's by now.
    if (!proc || (proc.adopted && !isSameProcessAlive(proc.identity))) return;
    try {
      process.kill(proc.identity.pid, signal);
    } catch {
      // Gone meanwhile: its exit is on its way.
    }
  }

  // ---- configuration ----------------------------------------------------------

  /** A new spec whose process inputs are unchanged (or not running): applied live. */
  update(spec: DaemonSpec): void {
    const previous = this.spec;
    this.spec = spec;
    this.spawnEnv = this.environmentOf(spec);
    this.tracker.setPolicy(spec.restart);
    if (previous.control !== spec.control) {
      // A process that keeps running under once/event is that control's current run.
      this.record.pendingRun =
        spec.control === 'once'
          ? this.proc !== null || this.record.completedAt === null
          : spec.control === 'event'
            ? this.proc !== null
            : false;
    }
    if (this.proc) {
      if (previous.timeLimitMs !== spec.timeLimitMs) this.armTimeLimit(this.proc);
      this.host.rotator.watch(this.id, this.files, spec.logs, this.proc.identity, (stream, removed) =>
        this.readiness.rotated(stream, removed),
      );
    }
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
    if (this.proc) await this.stopProcess('restart', 'config changed');
    else this.reconcile();
  }

  /** Removed from the config (or out of scope): stop for good. */
  async retire(): Promise<void> {
    this.record.hold = 'user';
    this.cancelBackoff();
    await this.settled();
    if (this.proc) await this.stopProcess('stop', 'removed from the config');
    await this.settled();
  }

  /** Agent shutdown: stop the process without restarting anything. */
  async shutdown(keepProcess: boolean): Promise<void> {
    this.cancelBackoff();
    clearTimeout(this.timeLimit);
    if (keepProcess) {
      // The next agent adopts it: leave it exactly as it is, with how far its output was read.
      this.host.store.save(this.row());
      this.readiness.end();
      this.proc?.cancelWatch?.();
      return;
    }
    this.readiness.end();
    await this.settled();
    if (this.proc) await this.stopProcess('stop', 'agent stopped');
  }

  // ---- adoption -------------------------------------------------------------

  /** Restores what the store remembers; with a live process, adopts it. */
  restore(row: InstanceRow, live: ProcessIdentity | null): void {
    this.record.restore(row, this.spec, live !== null);
    if (!live) return;
    const proc: RunningProcess = {
      identity: live,
      startedAt: row.startedAt ?? Date.now(),
      exited: null,
      adopted: true,
      stopRequested: false,
      stopReason: null,
    };
    const watch = watchAdopted(live, ADOPTED_POLL_MS);
    proc.cancelWatch = () => watch.cancel();
    watch.gone
      .then(() => this.onExit(proc, { code: null, signal: null, at: this.host.now() }))
      .catch(reportTo(this.host.log, `${this.id}: exit handling`));
    this.proc = proc;
    this.readiness.restoreOffsets(row.outOffset, row.errOffset, row.ready);
    this.began(proc);
    this.host.log.info(`${this.id}: adopted pid ${live.pid}`);
  }
}
