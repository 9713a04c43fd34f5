/**
 * A reservation or a running task as the agent holds it in memory (the store
 * has the same data for the next agent), and the two views made of it: the
 * protocol's `TaskInfo` and the store's row.
 */
import { sharedResourceSampler } from '../proc/resources/resourceSampler';
import type { ProcessIdentity } from '../proc/processIdentity';
import type { SupervisedRun } from '../proc/supervisedRun';
import type { TaskInfo, TaskState } from './protocol';
import type { FeedbackReader } from './feedbackReader';
import type { StopReason } from './taskEnd';
import { taskHealth } from './taskHealth';
import type { LiveTaskRow } from './taskStore';

/**
 * Where a task is in its life: `reserved` (an id waiting for a launch), `starting`
 * (being spawned), `running`, `ending` (its process is gone, the history row is
 * being written).
 */
export type TaskPhase = 'reserved' | 'starting' | 'running' | 'ending';

export class LiveTask {
  phase: TaskPhase = 'reserved';
  state: TaskState = 'RESERVED';
  name: string | null;
  unique: boolean;
  info: [string | null, string | null, string | null] = [null, null, null];
  readonly reservedAt: number;
  expiresAt: number | null;
  argv: readonly string[] | null = null;
  cwd: string | null = null;
  identity: ProcessIdentity | null = null;
  startedAt: number | null = null;
  timeoutMs: number | null = null;
  stdoutFile: string | null = null;
  stderrFile: string | null = null;
  feedbackFile: string | null = null;
  keepFeedback = false;
  lastUpdateAt: number | null = null;
  reader: FeedbackReader | null = null;
  /** Its process (start, stop of its group, rotation of its output, adoption); null while reserved. */
  run: SupervisedRun | null = null;
  /** Set when the agent decides to end the task (kill, timeout, agent stop). */
  stopReason: StopReason | null = null;
  expiryTimer: NodeJS.Timeout | null = null;
  healthTimer: NodeJS.Timeout | null = null;
  flushTimer: NodeJS.Timeout | null = null;
  lastFlushAt = 0;
  unwatch: (() => void) | null = null;
  /** Resolves once the task left the agent: recorded in the history, or released. */
  readonly gone: Promise<void>;
  private resolveGone!: () => void;

  constructor(
    readonly id: number,
    fields: { name: string | null; unique: boolean; reservedAt: number; expiresAt: number | null },
  ) {
    this.name = fields.name;
    this.unique = fields.unique;
    this.reservedAt = fields.reservedAt;
    this.expiresAt = fields.expiresAt;
    this.gone = new Promise((resolve) => (this.resolveGone = resolve));
  }

  /** Marks the task as having left the agent; wakes whoever waits on `gone`. */
  markGone(): void {
    for (const timer of [this.expiryTimer, this.healthTimer, this.flushTimer]) if (timer !== null) clearTimeout(timer);
    this.expiryTimer = this.healthTimer = this.flushTimer = null;
    this.unwatch?.();
    this.unwatch = null;
    // A process left running for the next agent is watched here no more.
    this.run?.leave();
    this.resolveGone();
  }

  /** Running or about to: holds its name against `--unique` reservations. */
  get isLive(): boolean {
    return this.phase !== 'ending';
  }
}

/** The task as clients see it. */
export function taskInfo(task: LiveTask): TaskInfo {
  const started = task.startedAt;
  const deadlineAt =
    started === null
      ? null
      : taskHealth({
          now: started,
          startedAt: started,
          lastUpdateAt: task.lastUpdateAt,
          timeoutMs: task.timeoutMs,
          hasFeedback: task.reader !== null,
        }).deadlineAt;
  return {
    id: task.id,
    state: task.state,
    name: task.name,
    unique: task.unique,
    info1: task.info[0],
    info2: task.info[1],
    info3: task.info[2],
    reservedAt: task.reservedAt,
    expiresAt: task.phase === 'reserved' ? task.expiresAt : null,
    argv: task.argv,
    pid: task.identity?.pid ?? null,
    startedAt: started,
    timeoutMs: task.timeoutMs,
    feedbackFile: task.feedbackFile,
    lastUpdateAt: task.lastUpdateAt,
    feedback: task.reader === null ? null : task.reader.values(),
    deadlineAt,
    stdoutFile: task.stdoutFile,
    stderrFile: task.stderrFile,
    ...resourceFigures(task),
  };
}

/** The last sample of a running task's tree, while the agent samples; nothing otherwise. */
function resourceFigures(task: LiveTask): { cpuPercent?: number | null; memoryBytes?: number } {
  const sample = task.phase === 'running' ? sharedResourceSampler().latest('tasks', String(task.id)) : null;
  return sample ? { cpuPercent: sample.cpuPercent, memoryBytes: sample.memoryBytes } : {};
}

/** The task's row in `tasks` (its feedback progress included). */
export function liveRow(task: LiveTask): LiveTaskRow {
  const progress = task.reader?.progress(task.lastUpdateAt) ?? null;
  return {
    id: task.id,
    status: task.state,
    name: task.name,
    unique: task.unique,
    info1: task.info[0],
    info2: task.info[1],
    info3: task.info[2],
    reservedAt: task.reservedAt,
    expiresAt: task.expiresAt,
    argv: task.argv,
    cwd: task.cwd,
    pid: task.identity?.pid ?? null,
    startTicks: task.identity?.startTime ?? null,
    startedAt: task.startedAt,
    timeoutMs: task.timeoutMs,
    stdoutFile: task.stdoutFile,
    stderrFile: task.stderrFile,
    feedbackFile: task.feedbackFile,
    keepFeedback: task.keepFeedback,
    lastUpdateAt: task.lastUpdateAt,
    feedback: progress?.values ?? null,
    feedbackOffset: progress?.offset ?? null,
    feedbackInode: progress?.inode ?? null,
    feedbackMtime: progress?.mtimeMs ?? null,
  };
}
