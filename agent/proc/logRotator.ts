/**
 * Size-capped rotation of the output files of running processes, for every
 * part (a daemon instance, a task): whoever started the process registers its
 * two files here (agent/proc/supervisedRun.ts does it for a run).
 *
 * A supervised process writes straight into its log files (O_APPEND fds the
 * agent hands over), so the agent cannot switch it to a new file. Rotation
 * (logRotation.ts, spawner/rotate.c) moves whole lines from the front of the
 * live file to `.1` (older ones shift to `.2` … `.keep`), in pieces of at most
 * `max_bytes`, and removes them from the live file in place, so what the writer
 * appends meanwhile stays and no line is lost. Followers of the file are told
 * what was removed (cutFileFront).
 *
 * Sizes are checked on one slow timer for all files, not on every write, and a
 * file that does not grow is looked at rarely, so an idle agent stays idle and
 * a fast writer costs nothing per line. A file is also looked at the moment it
 * is registered (a start, an adoption), so one that grew while no agent ran is
 * split at once. And the spawn helper is told about every registered file: if
 * the agent dies, it keeps rotating them until a new agent takes over.
 */
import * as fs from 'node:fs';
import { cutFileFront } from './logFollower';
import { rotateLogFile, type RotationPolicy } from './logRotation';
import { OutputTimeRecorder } from './outputTimes';
import type { ProcessIdentity } from './processIdentity';
import { readLogHead } from './rotatedLog';
import type { SpawnHelper } from './spawnHelper';

/** The two output files of one process. */
export interface OutputFiles {
  readonly stdout: string;
  readonly stderr: string;
}

/** The size of a file, -1 when it does not exist. */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.size ?? -1;
  } catch {
    return -1;
  }
}

/**
 * Rotates `file` when its lines take more than the policy allows. Returns how
 * many bytes were removed from its front (0: not rotated, Infinity: it was emptied).
 */
export function rotateIfNeeded(file: string, policy: RotationPolicy): number {
  const size = sizeOf(file);
  // The marker line a rotation leaves does not count (and reading it is cheaper than a rotation that finds nothing to do).
  if (size <= policy.maxBytes || size - readLogHead(file).length <= policy.maxBytes) return 0;
  // Measured before cutFileFront brings the followers up to date, so they have read at least this far.
  return cutFileFront(file, () => rotateLogFile(file, policy, size));
}

type Stream = 'stdout' | 'stderr';

function policyOf(entry: Pick<Watched, 'policy'>): { maxBytes: number; keep: number } {
  return { maxBytes: entry.policy.maxBytes, keep: entry.policy.keep };
}

/** When a file was last measured, and when it needs looking at again. */
interface Measure {
  size: number;
  at: number;
  next: number;
}

interface Watched {
  readonly files: OutputFiles;
  readonly writer: ProcessIdentity;
  policy: RotationPolicy;
  readonly onRotated: (stream: Stream, removedBytes: number) => void;
  readonly measures: Record<Stream, Measure>;
}

/** The slowest re-check of a file that does not grow. */
const MAX_CHECK_INTERVAL_MS = 10_000;

/**
 * How long a newly registered process runs before its files are looked at, indexed and
 * watched (the spawn helper is told at once, in one message, so a process whose agent dies
 * early is still rotated). Most queue items and checks end sooner: their files then get one
 * look at the end (a stat when empty), not a watch and an index file each (with the helper's
 * four messages, a third of the agent's time per /bin/true item). Well below the first
 * rotation check (`intervalMs`), and no later than the time index's own interval.
 */
export const REGISTER_AFTER_MS = 100;

/**
 * Rotates registered files that outgrow their cap. Each file is measured only
 * when it could have reached its cap at the rate it grew since the last look
 * (at least every `intervalMs`, at most every 10 s), and one timer sleeps until
 * the first file is due, checking every file due within the next interval, so
 * quiet processes cost a wake-up every 10 s.
 */
export interface LogRotatorOptions {
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** The helper that rotates the files after the agent is gone, and the agent's lock file it watches for a successor. */
  readonly linger?: { readonly helper: SpawnHelper; readonly agentLock: string } | null;
  /** How often a growing file's time index gets an entry, at most (outputTimes.ts). */
  readonly timeIndexIntervalMs?: number;
}

export class LogRotator {
  private readonly watched = new Map<string, Watched>();
  /** Registered less than REGISTER_AFTER_MS ago, with when: not looked at yet. */
  private readonly fresh = new Map<string, { readonly entry: Watched; readonly at: number }>();
  private freshTimer: NodeJS.Timeout | undefined;
  /** Files of fresh entries that ended, for one look each (stampEnded). */
  private toStamp: string[] = [];
  private stampTimer: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;
  /** The time index of every watched file: it is registered here anyway. */
  private readonly times: OutputTimeRecorder;

  constructor(
    private readonly onError: (message: string) => void,
    private readonly options: LogRotatorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.times = new OutputTimeRecorder(onError, options.timeIndexIntervalMs);
    options.linger?.helper.setAgentLock(options.linger.agentLock);
  }

  /**
   * Starts checking a process's files, written by `writer` (again with a new
   * policy when already registered). A newly registered file is checked once its
   * process has run REGISTER_AFTER_MS (a file that grew while no agent ran is
   * split then); one that ends sooner only gets its time index brought up to date.
   */
  watch(
    id: string,
    files: OutputFiles,
    policy: RotationPolicy,
    writer: ProcessIdentity,
    onRotated: (stream: Stream, removedBytes: number) => void,
  ): void {
    const known = this.watched.get(id);
    if (!known) {
      // The helper knows every file at once: it keeps rotating them if the agent dies early.
      if (!this.fresh.has(id)) this.tellHelper({ files, writer, policy });
      const measures = { stdout: { size: 0, at: 0, next: 0 }, stderr: { size: 0, at: 0, next: 0 } };
      this.fresh.set(id, { entry: { files, writer, policy, onRotated, measures }, at: this.fresh.get(id)?.at ?? this.now() });
      this.freshTimer ??= setTimeout(() => this.registerFresh(), REGISTER_AFTER_MS).unref();
      return;
    }
    this.register(id, { files, writer, policy, onRotated, measures: known.measures }, false);
  }

  /** Registers the fresh entries whose process has run long enough; the timer waits for the others. */
  private registerFresh(): void {
    clearTimeout(this.freshTimer);
    this.freshTimer = undefined;
    const now = this.now();
    let next = Infinity;
    for (const [id, fresh] of this.fresh) {
      if (now - fresh.at < REGISTER_AFTER_MS) next = Math.min(next, fresh.at + REGISTER_AFTER_MS - now);
      else {
        this.fresh.delete(id);
        this.register(id, fresh.entry, true);
      }
    }
    if (next !== Infinity) this.freshTimer = setTimeout(() => this.registerFresh(), next).unref();
  }

  private tellHelper(entry: Pick<Watched, 'files' | 'writer' | 'policy'>): void {
    const { files, writer } = entry;
    this.options.linger?.helper.keepRotating(
      ...(['stdout', 'stderr'] as const).map((stream) => ({ file: files[stream], ...policyOf(entry), writer })),
    );
  }

  private register(id: string, entry: Watched, first: boolean): void {
    const { files } = entry;
    this.watched.set(id, entry);
    // A fresh entry's files were told to the helper when it was watched.
    if (!first) this.tellHelper(entry);
    for (const stream of ['stdout', 'stderr'] as const) this.times.watch(files[stream]);
    if (first) {
      const at = this.now();
      for (const stream of ['stdout', 'stderr'] as const) {
        entry.measures[stream] = { size: sizeOf(files[stream]), at, next: at };
        this.checkFile(id, entry, stream, at);
      }
    }
    if (!this.timer) this.schedule();
  }

  /** A process is about to be spawned onto `files`: where its output begins goes into their time indexes. */
  markStart(files: OutputFiles): void {
    this.times.markStart(files.stdout);
    this.times.markStart(files.stderr);
  }

  unwatch(id: string): void {
    const fresh = this.fresh.get(id);
    if (fresh) {
      this.fresh.delete(id);
      this.options.linger?.helper.stopRotating(fresh.entry.files.stdout, fresh.entry.files.stderr);
      // After this turn: an owner starts what comes next straight from the end (a queue's next item).
      for (const stream of ['stdout', 'stderr'] as const) this.toStamp.push(fresh.entry.files[stream]);
      this.stampTimer ??= setImmediate(() => this.stampEnded());
      return;
    }
    const entry = this.watched.get(id);
    if (entry) {
      this.options.linger?.helper.stopRotating(entry.files.stdout, entry.files.stderr);
      for (const stream of ['stdout', 'stderr'] as const) this.times.unwatch(entry.files[stream]);
    }
    this.watched.delete(id);
    if (this.watched.size === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private stampEnded(): void {
    clearImmediate(this.stampTimer);
    this.stampTimer = undefined;
    const files = this.toStamp;
    this.toStamp = [];
    for (const file of files) this.times.stampOnce(file);
  }

  /** Sleeps until the first file is due (never less than one interval), so quiet files cost no wake-ups. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.watched.size === 0) return;
    let earliest = Infinity;
    for (const entry of this.watched.values()) earliest = Math.min(earliest, entry.measures.stdout.next, entry.measures.stderr.next);
    this.timer = setTimeout(() => this.check(), Math.max(this.intervalMs, earliest - this.now()));
    this.timer.unref();
  }

  /** Measures the files due within the next interval and rotates those over their cap (the timer's job; public for tests). */
  check(force = false): void {
    if (this.fresh.size > 0) this.registerFresh();
    const now = this.now();
    for (const [id, entry] of this.watched) {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (force || entry.measures[stream].next <= now + this.intervalMs) this.checkFile(id, entry, stream, now);
      }
    }
    this.schedule();
  }

  private checkFile(id: string, entry: Watched, stream: Stream, now: number): void {
    const measure = entry.measures[stream];
    try {
      const file = entry.files[stream];
      const before = sizeOf(file);
      // The growth rate since the last look decides when to look again.
      const rate = before > measure.size && now > measure.at ? (before - measure.size) / (now - measure.at) : 0;
      let size = before;
      if (before > entry.policy.maxBytes) this.times.beforeRotation(file);
      const removed = before > entry.policy.maxBytes ? rotateIfNeeded(file, entry.policy) : 0;
      if (removed > 0) {
        this.times.rotated(file, removed);
        entry.onRotated(stream, removed);
        size = sizeOf(file);
      }
      const untilCap = rate > 0 ? (entry.policy.maxBytes - size) / rate : Infinity;
      measure.next = now + Math.min(MAX_CHECK_INTERVAL_MS, Math.max(this.intervalMs, untilCap / 2));
      measure.size = size;
      measure.at = now;
    } catch (error: unknown) {
      measure.next = now + this.intervalMs;
      this.onError(`cannot rotate the ${stream} log of ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stops checking (the agent stops). The helper keeps what it was told: processes left running stay rotated. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stampEnded();
    clearTimeout(this.freshTimer);
    this.freshTimer = undefined;
    this.fresh.clear();
    this.watched.clear();
    this.times.close();
  }
}
