/**
 * The life of a running task after its spawn: its feedback watch (any change of
 * the file is a heartbeat), one health timer armed at the next state change
 * (never a poll), the kill of its whole process group at the timeout or on
 * request, and its end: final feedback, the history row written in the same
 * transaction that removes the running row, the feedback file removed.
 */
import * as fsp from 'node:fs/promises';
import type { Logger } from '../log';
import type { RotationPolicy } from '../proc/logRotation';
import type { LogRotator } from '../proc/logRotator';
import type { RunEnd, RunOptions, SupervisedRun } from '../proc/supervisedRun';
import type { TaskHistoryEntry } from './protocol';
import type { FeedbackFolders } from './feedbackFolders';
import type { LiveTask } from './liveTask';
import { describeTaskEnd, type EndObservation, type StopReason } from './taskEnd';
import { taskHealth } from './taskHealth';
import type { TaskStore } from './taskStore';

/** Grace between SIGTERM to the group and SIGKILL to the group. */
export const STOP_GRACE_MS = 3000;
/** Feedback changes are saved and pushed at most this often per task. */
const FLUSH_INTERVAL_MS = 200;

export interface SupervisorHooks {
  /** A task's state or feedback changed (push it to clients). */
  changed(task: LiveTask): void;
  /** A task ended and is in the history now. */
  ended(task: LiveTask, entry: TaskHistoryEntry): void;
  /** The history kept at most this many rows (null: all). */
  historyLimit(): number | null;
}

/** What the runs of tasks share: the part's rotator and the rotation policy of the current config. */
export interface TaskRuns {
  readonly rotator: LogRotator;
  policy(): RotationPolicy;
}

/** How the run's end reads in the task's words: an adopted process is seen to go, not how. */
function observationOf(run: SupervisedRun, end: RunEnd): EndObservation {
  if (end.reason === 'adopted-gone' || (run.adopted && end.code === null && end.signal === null)) return { kind: 'adopted-gone' };
  return { kind: 'exit', code: end.code, signal: end.signal };
}

export class TaskSupervisor {
  private closed = false;

  constructor(
    private readonly store: TaskStore,
    private readonly folders: FeedbackFolders,
    private readonly log: Logger,
    private readonly hooks: SupervisorHooks,
    private readonly runs: TaskRuns,
  ) {}

  /**
   * How a task's process runs: its group stopped with SIGTERM, a grace, SIGKILL;
   * its output rotated per `watcher.logs`; no time limit of the run's own (a
   * task's timeout counts from its last feedback: taskHealth.ts decides, `stop` acts).
   */
  runOptions(): RunOptions {
    return {
      stopMethod: { kind: 'signal', signal: 'SIGTERM' },
      stopTimeoutMs: STOP_GRACE_MS,
      timeLimitMs: null,
      killGroupOnExit: false,
      rotation: { rotator: this.runs.rotator, policy: this.runs.policy() },
    };
  }

  /** Starts watching our own freshly started run. */
  watchChild(task: LiveTask, run: SupervisedRun): void {
    this.watchFeedback(task);
    this.evaluate(task);
    void run.ended.then((end) => this.end(task, observationOf(run, end), end.at));
  }

  /** Takes over a process a previous agent started (its run adopted); catches up on its feedback first. */
  async adopt(task: LiveTask, run: SupervisedRun): Promise<void> {
    this.watchFeedback(task);
    await this.look(task, 'check');
    this.evaluate(task);
    void run.ended.then((end) => this.end(task, observationOf(run, end), end.at));
  }

  /** Stops the task's process group (SIGTERM, grace, SIGKILL); its end is recorded as `reason`. */
  stop(task: LiveTask, reason: StopReason): void {
    task.stopReason ??= reason;
    // A stop during the spawn is queued by the run; one before the run exists is applied by the launcher.
    if (task.phase === 'ending' || task.run === null || !task.run.live) return;
    void task.run.stop(reason.kind === 'timeout' ? 'timeout' : reason.error);
  }

  /** Looks at every running task's feedback file and state now. */
  async checkAll(tasks: Iterable<LiveTask>): Promise<void> {
    await Promise.all([...tasks].filter((task) => task.phase === 'running').map((task) => this.check(task)));
  }

  /**
   * Records a task whose process is gone. `endAt` is when it ended (its exit, or
   * its last sign of activity when it ended unobserved).
   */
  async end(task: LiveTask, observed: EndObservation, endAt: number): Promise<void> {
    if (task.phase === 'ending' || this.closed) return;
    task.phase = 'ending';
    let feedback = null;
    if (task.reader !== null) {
      await task.reader.read().catch(() => undefined);
      task.reader.finish();
      feedback = task.reader.values();
    }
    if (this.closed) return;
    const startedAt = task.startedAt ?? task.reservedAt;
    const entry: TaskHistoryEntry = {
      id: task.id,
      name: task.name,
      info1: task.info[0],
      info2: task.info[1],
      info3: task.info[2],
      argv: task.argv ?? [],
      pid: task.identity?.pid ?? null,
      ...describeTaskEnd(observed, task.stopReason),
      start: startedAt,
      end: endAt,
      durationMs: Math.max(0, endAt - startedAt),
      feedback,
      stdoutFile: task.stdoutFile,
      stderrFile: task.stderrFile,
    };
    let pruned: readonly string[] = [];
    try {
      pruned = this.store.finish(entry, this.hooks.historyLimit());
    } catch (error: unknown) {
      this.log.error(`recording the end of task ${task.id}: ${(error as Error).message}`);
    }
    if (task.feedbackFile !== null && !task.keepFeedback) await this.remove(task.feedbackFile);
    task.markGone();
    this.hooks.ended(task, entry);
    for (const file of pruned) void this.remove(file);
  }

  /**
   * Stops supervising without touching the processes: saves where each task's
   * feedback reading stands, so the next agent adopts them and resumes there.
   */
  leaveRunning(tasks: Iterable<LiveTask>): void {
    this.closed = true;
    const saved: [number, ReturnType<NonNullable<LiveTask['reader']>['progress']>][] = [];
    for (const task of tasks) {
      if (task.reader !== null && task.phase === 'running') saved.push([task.id, task.reader.progress(task.lastUpdateAt)]);
      task.markGone();
    }
    try {
      this.store.saveFeedbackAll(saved);
    } catch (error: unknown) {
      this.log.error(`saving feedback progress: ${(error as Error).message}`);
    }
  }

  private watchFeedback(task: LiveTask): void {
    if (task.reader === null || task.feedbackFile === null) return;
    task.unwatch = this.folders.watch(task.feedbackFile, () => void this.onFileEvent(task));
  }

  private async onFileEvent(task: LiveTask): Promise<void> {
    if (await this.look(task, 'event')) this.evaluate(task);
  }

  /** The health timer fired: look at the file (in case a change was missed), then re-evaluate. */
  private async check(task: LiveTask): Promise<void> {
    await this.look(task, 'check');
    this.evaluate(task);
  }

  /** Reads the feedback file; true when it was updated (a heartbeat). */
  private async look(task: LiveTask, source: 'event' | 'check'): Promise<boolean> {
    if (task.reader === null || task.phase !== 'running') return false;
    let look;
    try {
      look = await task.reader.read();
    } catch (error: unknown) {
      this.log.warn(`reading ${task.reader.file}: ${(error as Error).message}`);
      return false;
    }
    if (task.phase !== 'running' || this.closed) return false;
    if (look.updated) {
      const now = Date.now();
      // An event is seen as it happens; a change found by a timer happened at its mtime (never in the future).
      const at = source === 'event' ? now : Math.min(now, look.mtimeMs ?? now);
      task.lastUpdateAt = Math.max(task.lastUpdateAt ?? 0, at);
    }
    if (look.changed) this.flushSoon(task);
    return look.updated;
  }

  /** Computes the state, records and pushes a change, kills at the timeout, arms the next timer. */
  private evaluate(task: LiveTask): void {
    if (task.phase !== 'running' || this.closed || task.startedAt === null) return;
    if (task.healthTimer !== null) clearTimeout(task.healthTimer);
    task.healthTimer = null;
    const now = Date.now();
    const health = taskHealth({
      now,
      startedAt: task.startedAt,
      lastUpdateAt: task.lastUpdateAt,
      timeoutMs: task.timeoutMs,
      hasFeedback: task.reader !== null,
    });
    if (health.state === 'TIMEOUT') {
      this.log.info(
        `task ${task.id} (${task.name ?? '-'}) timed out after ${Math.round(health.timerMs / 1000)} s; killing its process group`,
      );
      this.stop(task, { kind: 'timeout' });
      return;
    }
    if (health.state !== task.state) {
      task.state = health.state;
      this.store.updateStatus(task.id, task.state);
      this.hooks.changed(task);
    }
    if (health.nextChangeAt !== null) {
      // One timer at the next threshold; +1 ms so it never fires just before it.
      task.healthTimer = setTimeout(
        () => {
          task.healthTimer = null;
          void this.check(task);
        },
        health.nextChangeAt - now + 1,
      );
    }
  }

  /** Saves and pushes new feedback values, at most every FLUSH_INTERVAL_MS per task. */
  private flushSoon(task: LiveTask): void {
    if (task.flushTimer !== null) return;
    const flush = (): void => {
      task.flushTimer = null;
      if (task.phase !== 'running' || task.reader === null || this.closed) return;
      task.lastFlushAt = Date.now();
      this.store.saveFeedback(task.id, task.reader.progress(task.lastUpdateAt));
      this.hooks.changed(task);
    };
    const wait = task.lastFlushAt + FLUSH_INTERVAL_MS - Date.now();
    if (wait <= 0) flush();
    else task.flushTimer = setTimeout(flush, wait);
  }

  private async remove(file: string): Promise<void> {
    await fsp.rm(file, { force: true }).catch((error: unknown) => this.log.warn(`removing ${file}: ${(error as Error).message}`));
  }
}
