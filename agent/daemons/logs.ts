/**
 * Where each daemon instance's output goes, and size-capped rotation of it.
 *
 * A supervised process writes straight into its log files (O_APPEND fds the
 * agent hands over), so the agent cannot switch it to a new file. Rotation
 * copies the file's whole blocks to `.1` (older ones shift to `.2` … `.keep`)
 * and then removes exactly those bytes from the front of the live file in
 * place (collapseFront: fallocate's COLLAPSE_RANGE, under the file's lock), so
 * what the writer appends meanwhile stays in the live file and no line is
 * lost. The cut falls on a block boundary, so `.1` may end inside a line that
 * the live file continues. Where collapsing is not supported (tmpfs, no native
 * helper) it falls back to copy, catch up, truncate, where a line written in
 * the microseconds between the catch-up and the truncate can be lost.
 * Followers of the file are told what was removed (cutFileFront).
 *
 * Sizes are checked on one slow timer for all files, not on every write, and a
 * file that does not grow is looked at rarely, so an idle agent stays idle and
 * a fast writer costs nothing per line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collapseFront } from '../proc/collapseFront';
import { cutFileFront } from '../proc/logFollower';
import type { LogPolicy } from './config/spec';
import { fileSafeName } from './logFileNames';

/** The two output files of one instance. */
export interface InstanceLogFiles {
  readonly stdout: string;
  readonly stderr: string;
}

/** `.taskwarden/logs/daemons`, created on demand. */
export function daemonLogDirectory(logsRoot: string): string {
  return path.join(logsRoot, 'daemons');
}

/** `<dir>/<task>.<instance>.out` and `.err`, the task name encoded by `fileSafeName`. */
export function instanceLogFiles(directory: string, task: string, instance: number): InstanceLogFiles {
  const base = path.join(directory, `${fileSafeName(task)}.${instance}`);
  return { stdout: `${base}.out`, stderr: `${base}.err` };
}

/** The size of a file, -1 when it does not exist. */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.size ?? -1;
  } catch {
    return -1;
  }
}

/** Appends bytes [from, to) of `source` to `target`. */
function appendRange(source: string, target: string, from: number, to: number): void {
  const input = fs.openSync(source, 'r');
  const output = fs.openSync(target, 'a');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, to - from));
    let position = from;
    while (position < to) {
      const read = fs.readSync(input, buffer, 0, Math.min(buffer.length, to - position), position);
      if (read <= 0) break;
      fs.writeSync(output, buffer, 0, read);
      position += read;
    }
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
}

/**
 * Rotates `file` when it is larger than the policy allows. Returns how many
 * bytes were removed from its front (0: not rotated, Infinity: it was emptied).
 */
export function rotateIfNeeded(file: string, policy: LogPolicy): number {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined || stat.size <= policy.maxBytes) return 0;
  const archive = `${file}.1`;
  if (policy.keep > 0) {
    for (let index = policy.keep - 1; index >= 1; index -= 1) {
      try {
        fs.renameSync(`${file}.${index}`, `${file}.${index + 1}`);
      } catch {
        // A missing older file is normal.
      }
    }
    fs.rmSync(archive, { force: true });
  }
  // Whole blocks only, and never all of the file (COLLAPSE_RANGE's rules).
  const blockSize = stat.blksize > 0 ? stat.blksize : 4096;
  const cut = Math.floor((stat.size - 1) / blockSize) * blockSize;
  return cutFileFront(file, () => {
    if (cut > 0) {
      if (policy.keep > 0) appendRange(file, archive, 0, cut);
      if (collapseFront(file, cut)) return cut;
    }
    if (policy.keep > 0) {
      // Fallback: copy the rest, then cut everything.
      const copied = Math.max(0, sizeOf(archive));
      const now = sizeOf(file);
      if (now > copied) appendRange(file, archive, copied, now);
    }
    fs.truncateSync(file, 0);
    return Infinity;
  });
}

type Stream = 'stdout' | 'stderr';

/** When a file was last measured, and when it needs looking at again. */
interface Measure {
  size: number;
  at: number;
  next: number;
}

interface Watched {
  readonly files: InstanceLogFiles;
  policy: LogPolicy;
  readonly onRotated: (stream: Stream, removedBytes: number) => void;
  readonly measures: Record<Stream, Measure>;
}

/** The slowest re-check of a file that does not grow. */
const MAX_CHECK_INTERVAL_MS = 10_000;

/**
 * Rotates registered files that outgrow their cap. Each file is measured only
 * when it could have reached its cap at the rate it grew since the last look
 * (at least every `intervalMs`, at most every 10 s), and one timer sleeps until
 * the first file is due, checking every file due within the next interval, so
 * quiet daemons cost a wake-up every 10 s.
 */
export class LogRotator {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onError: (message: string) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts checking an instance's files (again with a new policy when already registered). */
  watch(id: string, files: InstanceLogFiles, policy: LogPolicy, onRotated: (stream: Stream, removedBytes: number) => void): void {
    const at = this.now();
    const measures = this.watched.get(id)?.measures ?? {
      stdout: { size: sizeOf(files.stdout), at, next: at },
      stderr: { size: sizeOf(files.stderr), at, next: at },
    };
    this.watched.set(id, { files, policy, onRotated, measures });
    if (!this.timer) this.schedule();
  }

  unwatch(id: string): void {
    this.watched.delete(id);
    if (this.watched.size === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
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
    const now = this.now();
    for (const [id, entry] of this.watched) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const measure = entry.measures[stream];
        if (!force && measure.next > now + this.intervalMs) continue;
        try {
          const file = entry.files[stream];
          const before = sizeOf(file);
          // The growth rate since the last look decides when to look again.
          const rate = before > measure.size && now > measure.at ? (before - measure.size) / (now - measure.at) : 0;
          let size = before;
          const removed = before > entry.policy.maxBytes ? rotateIfNeeded(file, entry.policy) : 0;
          if (removed > 0) {
            entry.onRotated(stream, removed);
            size = sizeOf(file);
          }
          const untilCap = rate > 0 ? (entry.policy.maxBytes - size) / rate : Infinity;
          measure.next = now + Math.min(MAX_CHECK_INTERVAL_MS, Math.max(this.intervalMs, untilCap / 2));
          measure.size = size;
          measure.at = now;
        } catch (error: unknown) {
          this.onError(`cannot rotate the ${stream} log of ${id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    this.schedule();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }
}
