/**
 * Keeps the time index of every registered log file (logTimes.ts): a
 * supervised process writes straight into its files, so the agent learns
 * that a file grew from inotify (fs.watch) and stamps an entry with the
 * file's mtime, the time of the last write it covers.
 *
 * Cost: at most one entry per file every `intervalMs`. After an event the
 * watch is closed and the file is looked at again one interval later; a file
 * that grew meanwhile gets another entry and another look, one that did not
 * gets its watch back. So a process writing as fast as it can costs a stat
 * and an append per interval, not a wake-up per write, and a quiet one costs
 * nothing. A line's time is exact for the first write after a quiet spell and
 * at most one interval late in a stream.
 *
 * `markStart` records, just before a process is spawned onto a file, the
 * position where its output will begin (the file's size plus its rotation
 * base): exact, where comparing times cannot be (a file's mtime comes from a
 * coarser clock than the agent's, and a restart takes a few milliseconds).
 */
import * as fs from 'node:fs';
import { appendTime, keptTimes, readTimes, writeTimes, type TimeEntry } from './logTimes';
import { readLogHead, readLogHeadOf, rotatedFiles } from './rotatedLog';

/** The size of `file`, undefined when it is not there. */
function sizeOf(file: string): number | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.size;
  } catch {
    return undefined;
  }
}

/** How often a growing file gets an entry, at most. */
export const TIME_INDEX_INTERVAL_MS = 250;

interface Indexed {
  watcher: fs.FSWatcher | null;
  timer: NodeJS.Timeout | null;
  /** Bytes that left the front of the file (its rotation marker's base). */
  base: number;
  /** The size at the last look. */
  size: number;
  /** The position of the last entry. */
  recorded: number;
}

export class OutputTimeRecorder {
  private readonly files = new Map<string, Indexed>();

  constructor(
    private readonly onError: (message: string) => void,
    private readonly intervalMs = TIME_INDEX_INTERVAL_MS,
  ) {}

  /** Starts indexing `file` (again: nothing). Bytes written while no one watched get the file's mtime. */
  watch(file: string): void {
    if (this.files.has(file)) return;
    const state = this.load(file);
    this.files.set(file, state);
    this.look(file, state);
    this.arm(file, state);
  }

  /**
   * Brings the index of a file nobody watches up to date once, without watching it: the
   * output of a process that ended before its files were registered (logRotator.ts). An
   * empty file costs one stat.
   */
  stampOnce(file: string): void {
    if (this.files.has(file) || (sizeOf(file) ?? 0) === 0) return;
    this.look(file, this.load(file));
  }

  /** The index's state of `file` as its index file and marker leave it. */
  private load(file: string): Indexed {
    const entries = readTimes(file);
    const base = readLogHead(file).base;
    let recorded = entries.at(-1)?.position ?? -1;
    const now = base + (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0);
    if (recorded > now) {
      // The file started over while no agent watched (a copy-and-truncate rotation): its old bytes now lie before 0.
      this.rewrite(file, keptTimes(entries, -Infinity, -recorded));
      recorded = 0;
    }
    return { watcher: null, timer: null, base, size: 0, recorded };
  }

  /**
   * A process is about to be spawned writing to `file`: its output begins at
   * the current end, noted as a start entry (stamped after the size was read,
   * so it is a true time entry too).
   */
  markStart(file: string): void {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      // Not written yet: the new process's output begins at 0.
      this.append(file, { position: 0, at: Date.now(), start: true });
      return;
    }
    let position: number;
    try {
      position = readLogHeadOf(fd).base + fs.fstatSync(fd).size;
    } catch (error: unknown) {
      // Never in the way of a start: without the entry its marker is placed by time.
      this.onError(`cannot mark a start in the time index of ${file}: ${(error as Error).message}`);
      return;
    } finally {
      fs.closeSync(fd);
    }
    this.append(file, { position, at: Date.now(), start: true });
  }

  /** Stops indexing `file`, with a last entry for what was written up to now (its writer ended). */
  unwatch(file: string): void {
    const state = this.files.get(file);
    if (!state) return;
    this.look(file, state);
    this.disarm(state);
    this.files.delete(file);
  }

  /** About to cut the front off `file`: everything in it so far gets its time first. */
  beforeRotation(file: string): void {
    const state = this.files.get(file);
    if (state) this.look(file, state);
  }

  /**
   * `file` lost `removed` bytes from its front (Infinity: it was emptied and
   * positions start again at 0): the index keeps only kept bytes, moved to
   * the new positions when they changed.
   */
  rotated(file: string, removed: number): void {
    const state = this.files.get(file);
    if (!state) return;
    const head = readLogHead(file);
    const shift = removed === Infinity ? -Math.max(0, state.recorded) : 0;
    const oldestKept = head.base + head.length - rotatedFiles(file).reduce((total, rotated) => total + rotated.size, 0);
    this.rewrite(file, keptTimes(readTimes(file), oldestKept, shift));
    state.base = head.base;
    state.size = 0;
    state.recorded += shift;
    this.look(file, state);
  }

  private rewrite(file: string, entries: readonly TimeEntry[]): void {
    try {
      writeTimes(file, entries);
    } catch (error: unknown) {
      this.onError(`cannot update the time index of ${file}: ${(error as Error).message}`);
    }
  }

  /** Stops every watch (the agent stops); the next agent goes on from the files. */
  close(): void {
    for (const state of this.files.values()) this.disarm(state);
    this.files.clear();
  }

  /** Stats the file and appends an entry if it grew since the last one; true when it had grown. */
  private look(file: string, state: Indexed): boolean {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (!stat) return false;
    // Shorter than at the last look: cut by someone else (a helper that outlived an agent): read the marker again.
    if (stat.size < state.size) state.base = readLogHead(file).base;
    state.size = stat.size;
    const position = state.base + stat.size;
    // An empty file has no byte to give a time (most short runs write nothing: no index file for them).
    if (position <= state.recorded || stat.size === 0) return false;
    if (this.append(file, { position, at: Math.round(stat.mtimeMs) })) state.recorded = position;
    return true;
  }

  private append(file: string, entry: TimeEntry): boolean {
    try {
      appendTime(file, entry);
      return true;
    } catch (error: unknown) {
      this.onError(`cannot write the time index of ${file}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Waits for the next write (inotify). */
  private arm(file: string, state: Indexed): void {
    if (this.files.get(file) !== state) return;
    try {
      state.watcher = fs.watch(file, { persistent: false }, () => this.onWrite(file, state));
      state.watcher.on('error', () => undefined);
    } catch {
      // Not there (yet): look again later.
      this.later(file, state);
      return;
    }
    // A write between the last look and the watch would go unseen.
    if (this.look(file, state)) this.onWrite(file, state);
  }

  private onWrite(file: string, state: Indexed): void {
    if (state.timer !== null) return;
    state.watcher?.close();
    state.watcher = null;
    this.look(file, state);
    this.later(file, state);
  }

  /** One interval from now: another entry while the file grows, else its watch back. */
  private later(file: string, state: Indexed): void {
    state.timer = setTimeout(() => {
      state.timer = null;
      if (this.files.get(file) !== state) return;
      if (this.look(file, state)) this.later(file, state);
      else this.arm(file, state);
    }, this.intervalMs);
    state.timer.unref();
  }

  private disarm(state: Indexed): void {
    state.watcher?.close();
    state.watcher = null;
    if (state.timer !== null) clearTimeout(state.timer);
    state.timer = null;
  }
}
