/**
 * One process's life, whoever asked for it (a daemon instance, a task): its
 * start through the spawn helper with the workspace marker, its identity (pid +
 * start time), its adoption by a later agent, its output files (rotated, with
 * the offsets its owner has read to), the stop of its whole group (queued when
 * asked for while it is still starting), its time limit, and the record a
 * part's table embeds so that the next agent can adopt it.
 *
 * The owner keeps only its policy (restarts, readiness, health…) and learns of
 * the end through `ended`. After an exit of its own that promise settles
 * straight from the child's exit, with no await or store write in between: a
 * daemon's restart after a crash runs in its callback. After a stop it settles
 * once the whole group is gone.
 */
import { failed, ok, type Failure, type Result } from '../result';
import type { RotationPolicy } from './logRotation';
import type { LogRotator, OutputFiles } from './logRotator';
import { isSameProcessAlive, readProcStat, type ProcessIdentity } from './processIdentity';
import { sharedResourceSampler } from './resources/resourceSampler';
import { sharedSpawnHelper, type ChainAnchor, type ChainCancel, type SpawnHelper } from './spawnHelper';
import type { SpawnRequest } from './spawnRequest';
import { spawnChained, spawnSupervised, type ExitInfo, type SpawnFailure, type SpawnOutcome } from './spawnSupervised';
import { signalOwnGroup, stopProcessGroup, watchAdopted } from './stopProcessGroup';
import { markedEnvironment, type WorkspaceMark } from './workspaceMarker';

/** What to run and where its output goes: a spawn request whose files are the run's, with its name and mark. */
export interface RunSpec extends Omit<SpawnRequest, 'stdoutFile' | 'stderrFile'> {
  /** The owner's name for the run (`web:0`, `task:7`): the key of its files in the rotator. */
  readonly id: string;
  /** The workspace marker is added to `env` unless it already carries it (markedEnvironment). */
  readonly mark: WorkspaceMark;
  readonly files: OutputFiles;
}

/**
 * How a stop asks the group to end: a signal to the group, or a request from
 * outside the process (a daemon's stop command, run beside it). Either way the
 * group then has the stop timeout before SIGKILL.
 */
export type StopMethod =
  { readonly kind: 'signal'; readonly signal: NodeJS.Signals } | { readonly kind: 'request'; readonly ask: () => void };

export interface RunOptions {
  /** How a stop (and the time limit) asks the group to end, and how long the group has before SIGKILL. */
  readonly stopMethod: StopMethod;
  readonly stopTimeoutMs: number;
  /** Past this long after its start the group is stopped (end reason `time-limit`); null: no limit. */
  readonly timeLimitMs: number | null;
  /** Told when the time limit is reached, just before the stop; returns the end's note (the owner's wording). */
  readonly onTimeLimit?: ((limitMs: number) => string) | undefined;
  /** When the leader ends on its own, what is left of its group is killed (a daemon's workers); else left alone. */
  readonly killGroupOnExit: boolean;
  /** Rotates the output files while the process runs. */
  readonly rotation: { readonly rotator: LogRotator; readonly policy: RotationPolicy } | null;
  /** Marks where this process's output begins in its files' time indexes (an owner that starts processes again on the same files: a daemon). */
  readonly markStart?: boolean;
  /** Told when rotation removed bytes from the front of a file (the offsets have moved back already). */
  readonly onRotated?: ((stream: 'stdout' | 'stderr', removedBytes: number) => void) | undefined;
  /** How often an adopted process (no exit event) is looked at. */
  readonly adoptedPollMs?: number;
  /** The spawn helper (default: the agent's, if built; null: Node's spawn). */
  readonly helper?: SpawnHelper | null;
  readonly now?: () => number;
}

/**
 * What a part's table stores of a run: enough for the next agent to adopt it
 * (pid + start ticks), to show it (started at) and to read its output on from
 * where this agent stopped (offsets). The files are the spec's (`RunSpec.files`).
 */
export interface RunRecord {
  readonly pid: number;
  readonly startTicks: number;
  readonly startedAt: number;
  readonly outOffset: number;
  readonly errOffset: number;
}

/** Why a run ended: on its own, stopped by its owner, at its time limit, or (adopted) gone unobserved. */
export type RunEndReason = 'exit' | 'stopped' | 'time-limit' | 'adopted-gone';

export interface RunEnd extends ExitInfo {
  readonly reason: RunEndReason;
  /** The owner's words for the stop (`stopped by user`), or the time limit's; null when it ended on its own. */
  readonly note: string | null;
}

/** The process that a start made. */
export interface RunStarted {
  readonly identity: ProcessIdentity;
  readonly startedAt: number;
}

export type RunStart = Result<RunStarted, SpawnFailure>;

/** `gone`: no process has the pid; `pid-reused`: another process has it now. */
export type AdoptOutcome = Result<SupervisedRun, Failure<'gone' | 'pid-reused'>>;

type Phase = 'new' | 'starting' | 'running' | 'ended' | 'left';

export class SupervisedRun {
  private phase: Phase = 'new';
  private identityValue: ProcessIdentity | null = null;
  private startedAtValue: number | null = null;
  private exited: Promise<ExitInfo> | null = null;
  private adoptedValue = false;
  private stopReason: { readonly reason: 'stopped' | 'time-limit'; readonly note: string; readonly method: StopMethod | undefined } | null =
    null;
  private stopping: Promise<void> | null = null;
  private starting: Promise<RunStart> | null = null;
  /** A chained start's cancel, while it waits. */
  private cancelChained: (() => Promise<ChainCancel>) | null = null;
  private cancelling: Promise<ChainCancel> | null = null;
  private anchorValue: ChainAnchor | null = null;
  private timeLimit: NodeJS.Timeout | undefined;
  private cancelAdoptedWatch: (() => void) | null = null;
  /** Ends the resource sampler's count of this run's tree. */
  private untrack: () => void = () => undefined;
  private resolveEnded!: (end: RunEnd) => void;
  private readonly now: () => number;
  /** How far the owner has read each file (bytes of the live file), moved back by rotation. */
  private offsets = { stdout: 0, stderr: 0 };
  /** Settles once the process has ended (never for a run that did not start, or was left running). */
  readonly ended: Promise<RunEnd>;

  constructor(
    readonly spec: RunSpec,
    private options: RunOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  // ---- queries ------------------------------------------------------------

  get identity(): ProcessIdentity | null {
    return this.identityValue;
  }

  get startedAt(): number | null {
    return this.startedAtValue;
  }

  get adopted(): boolean {
    return this.adoptedValue;
  }

  /** The process exists (or is being started) and has not ended. */
  get live(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  /** A stop was asked for: the end that follows is not a crash. */
  get stopRequested(): boolean {
    return this.stopReason !== null;
  }

  /** The record for the owner's table; null before the process exists. */
  record(): RunRecord | null {
    const identity = this.identityValue;
    if (identity === null || this.startedAtValue === null) return null;
    return {
      pid: identity.pid,
      startTicks: identity.startTime,
      startedAt: this.startedAtValue,
      outOffset: this.offsets.stdout,
      errOffset: this.offsets.stderr,
    };
  }

  /** How far the owner has read the output files. */
  readOffsets(): { readonly stdout: number; readonly stderr: number } {
    return this.offsets;
  }

  /** The owner read on: saved in the record, moved back by rotation. */
  setOffsets(stdout: number, stderr: number): void {
    this.offsets = { stdout, stderr };
  }

  // ---- start and adoption ---------------------------------------------------

  /** Starts the process (once). A stop asked for meanwhile applies as soon as it exists. */
  start(): Promise<RunStart> {
    if (this.starting) return this.starting;
    return this.started(spawnSupervised(this.request(), this.options.helper));
  }

  /** What a later start can be chained to (`startAfter`): set once started through the spawn helper, at once for a chained start. */
  get anchor(): ChainAnchor | null {
    return this.anchorValue;
  }

  /** The spawn helper's chained starts to `anchor` are possible now (its helper is the live one). */
  static canChainAfter(anchor: ChainAnchor | null, helper: SpawnHelper | null = sharedSpawnHelper()): boolean {
    return helper !== null && helper.canChain(anchor);
  }

  /**
   * Starts the process (once) the moment the process of `anchor` ends (spawnHelper.ts `chain`),
   * with no round trip through the agent; `cancelStart` until then. Its failure `chain-lost`:
   * the helper died meanwhile, and the process may or may not have started.
   */
  startAfter(anchor: ChainAnchor): Promise<RunStart> {
    if (this.starting) return this.starting;
    const helper = this.options.helper === undefined ? sharedSpawnHelper() : this.options.helper;
    if (helper === null) return this.start();
    const chained = spawnChained(this.request(), anchor, helper);
    this.cancelChained = () => chained.cancel();
    // A further start may wait for this one's end before it happened: the helper keeps the order.
    this.anchorValue = chained.anchor;
    return this.started(chained.outcome);
  }

  /** Cancels a chained start that has not happened: `cancelled` (it never will), `started` (it did, or failed), `gone` (the helper died). */
  cancelStart(): Promise<ChainCancel> {
    if (this.cancelChained === null) return Promise.resolve('started');
    this.cancelling ??= this.cancelChained();
    return this.cancelling;
  }

  private request(): SpawnRequest {
    const { spec } = this;
    if (this.options.markStart) this.options.rotation?.rotator.markStart(spec.files);
    return {
      argv: spec.argv,
      cwd: spec.cwd,
      env: markedEnvironment(spec.env, spec.mark),
      stdoutFile: spec.files.stdout,
      stderrFile: spec.files.stderr,
      uid: spec.uid,
      gid: spec.gid,
      argv0: spec.argv0,
    };
  }

  private started(spawned: Promise<SpawnOutcome>): Promise<RunStart> {
    this.phase = 'starting';
    this.starting = spawned.then((outcome): RunStart => {
      this.cancelChained = null;
      if (!outcome.ok) {
        this.phase = 'ended';
        return outcome;
      }
      const child = outcome.value;
      this.anchorValue ??= child.anchor;
      this.exited = child.exited;
      child.exited.then(
        (status) => this.finish(status, 'exit'),
        () => undefined,
      );
      this.began(child.identity, child.startedAt);
      return ok({ identity: child.identity, startedAt: child.startedAt });
    });
    return this.starting;
  }

  /**
   * Takes over a process a previous agent started, from its record: only the
   * same process (pid and start time), never another one that got its pid.
   */
  static adopt(record: RunRecord, spec: RunSpec, options: RunOptions): AdoptOutcome {
    const identity = { pid: record.pid, startTime: record.startTicks };
    if (!isSameProcessAlive(identity)) {
      return failed(
        readProcStat(record.pid) === null
          ? { reason: 'gone', message: `no process has pid ${record.pid}` }
          : { reason: 'pid-reused', message: `pid ${record.pid} belongs to another process now` },
      );
    }
    const run = new SupervisedRun(spec, options);
    run.adoptedValue = true;
    run.offsets = { stdout: record.outOffset, stderr: record.errOffset };
    const watch = watchAdopted(identity, options.adoptedPollMs ?? 250);
    run.cancelAdoptedWatch = () => watch.cancel();
    void watch.gone.then(() => run.finish({ code: null, signal: null, at: run.now() }, 'adopted-gone'));
    run.began(identity, record.startedAt);
    return ok(run);
  }

  /** Bookkeeping shared by a started and an adopted process. */
  private began(identity: ProcessIdentity, startedAt: number): void {
    this.identityValue = identity;
    this.startedAtValue = startedAt;
    this.phase = 'running';
    // Every part's run is sampled the same way (CPU and memory of its tree), under its mark.
    if (this.spec.mark.run !== null) this.untrack = sharedResourceSampler().track(this.spec.mark.run, identity);
    this.armTimeLimit();
    this.watchFiles();
    // A stop that arrived while the process was being started applies now.
    const queued = this.stopReason;
    if (queued !== null) void this.stopNow(queued.method);
  }

  // ---- settings while running -------------------------------------------------

  /** New options (a reload): the time limit is re-armed from the start, rotation follows the new policy. */
  update(options: RunOptions): void {
    const limitChanged = options.timeLimitMs !== this.options.timeLimitMs;
    this.options = options;
    if (this.phase !== 'running') return;
    if (limitChanged) this.armTimeLimit();
    this.watchFiles();
  }

  private armTimeLimit(): void {
    clearTimeout(this.timeLimit);
    const limit = this.options.timeLimitMs;
    if (limit === null || this.startedAtValue === null) return;
    const left = Math.max(0, this.startedAtValue + limit - this.now());
    this.timeLimit = setTimeout(() => {
      if (this.phase !== 'running') return;
      const note = this.options.onTimeLimit?.(limit) ?? `time limit of ${limit / 1000} s reached`;
      void this.stopFor('time-limit', note);
    }, left);
    this.timeLimit.unref();
  }

  private watchFiles(): void {
    const rotation = this.options.rotation;
    if (rotation === null || this.identityValue === null) return;
    rotation.rotator.watch(this.spec.id, this.spec.files, rotation.policy, this.identityValue, (stream, removed) => {
      this.offsets = { ...this.offsets, [stream]: Math.max(0, this.offsets[stream] - removed) };
      this.options.onRotated?.(stream, removed);
    });
  }

  // ---- stop and end -----------------------------------------------------------

  /**
   * Sends a signal to the process itself, not its group (a daemon's `signal`
   * event action); false when it is not running or its pid is no longer ours.
   */
  signal(signal: NodeJS.Signals): boolean {
    const identity = this.identityValue;
    if (this.phase !== 'running' || identity === null) return false;
    // An adopted process may have died unnoticed, and its pid be someone else's by now.
    if (this.adoptedValue && !isSameProcessAlive(identity)) return false;
    try {
      process.kill(identity.pid, signal);
      return true;
    } catch {
      // Gone meanwhile: its end is on its way.
      return false;
    }
  }

  /**
   * Stops the whole group: `method` (else the options' stop method), the stop
   * timeout, SIGKILL to the group. Resolves once the group is gone; at once
   * when it never started. A stop asked for while the process is starting is
   * applied as soon as it exists. A second stop joins the first.
   */
  stop(note: string, method?: StopMethod): Promise<void> {
    return this.stopFor('stopped', note, method);
  }

  private async stopFor(reason: 'stopped' | 'time-limit', note: string, method?: StopMethod): Promise<void> {
    this.stopReason ??= { reason, note, method };
    if (this.phase === 'starting') {
      const started = await this.starting;
      if (!started?.ok) return;
    }
    if (this.phase === 'running') await this.stopNow(method ?? this.stopReason.method);
    else if (this.stopping) await this.stopping;
  }

  private stopNow(method: StopMethod | undefined): Promise<void> {
    if (this.stopping) return this.stopping;
    const identity = this.identityValue!;
    const chosen = method ?? this.options.stopMethod;
    if (chosen.kind === 'request') chosen.ask();
    const asked = stopProcessGroup({
      identity,
      signal: chosen.kind === 'signal' ? chosen.signal : null,
      timeoutMs: this.options.stopTimeoutMs,
      exited: this.exited,
    });
    this.stopping = asked
      .then(
        () => undefined,
        () => undefined,
      )
      .then(async () => {
        // Whatever is left of the group (a grandchild that ignored the signal) goes too.
        signalOwnGroup(identity, 'SIGKILL');
        if (this.exited) await this.exited;
        // An adopted process has no exit event: its stop is its end.
        else this.finish({ code: null, signal: null, at: this.now() }, 'exit');
      });
    return this.stopping;
  }

  /** The process ended: the one place that settles `ended` (the hot path: no await, no write). */
  private finish(status: ExitInfo, observed: 'exit' | 'adopted-gone'): void {
    if (this.phase !== 'running') return;
    this.phase = 'ended';
    clearTimeout(this.timeLimit);
    this.cancelAdoptedWatch?.();
    this.untrack();
    const stop = this.stopReason;
    // A leader that died on its own may leave workers in its group.
    if (stop === null && this.options.killGroupOnExit && this.identityValue) signalOwnGroup(this.identityValue, 'SIGKILL');
    this.options.rotation?.rotator.unwatch(this.spec.id);
    const end: RunEnd = {
      code: status.code,
      signal: status.signal,
      at: status.at,
      reason: stop?.reason ?? observed,
      note: stop?.note ?? null,
    };
    // A stopped run has ended when its whole group is gone (a grandchild that ignored the signal gets the grace, then SIGKILL).
    if (this.stopping) void this.stopping.then(() => this.resolveEnded(end));
    else this.resolveEnded(end);
  }

  /**
   * The agent stops but the process runs on, for the next agent to adopt: no
   * more timers or watches here. The rotator is left to its own close, so the
   * spawn helper keeps the files rotated in between.
   */
  leave(): void {
    if (this.phase !== 'running') return;
    this.phase = 'left';
    clearTimeout(this.timeLimit);
    this.cancelAdoptedWatch?.();
    this.untrack();
  }
}
