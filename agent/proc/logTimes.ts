/**
 * When each byte of a log was written: a small time index kept next to the
 * log file (`FILE.times`), one line "POSITION EPOCH_MS" per entry, meaning
 * "by EPOCH_MS, the first POSITION bytes had been written". Positions are
 * those of rotatedLog.ts (base + offset), which rotation does not change, so
 * one index serves the live file and its rotated files. A line that ends at
 * position e was written at the time of the first entry whose position is at
 * least e (an upper bound: the recorder, outputTimes.ts, stamps an entry with
 * the file's mtime when it sees it grow, so the bound is the last write it saw).
 *
 * An entry "POSITION EPOCH_MS start" also says that a process began writing
 * at POSITION (taken just before it was spawned): the bytes before it are an
 * earlier process's. Restart markers are placed by it (core/timedOutput.ts).
 */
import * as fs from 'node:fs';

export interface TimeEntry {
  readonly position: number;
  readonly at: number;
  /** A process started at this position (markRunStart in outputTimes.ts). */
  readonly start?: true;
}

/** The index file of a log file. */
export function timesFileOf(logFile: string): string {
  return `${logFile}.times`;
}

/** The entries of a log's index, by position (none when it has no index). */
export function readTimes(logFile: string): TimeEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(timesFileOf(logFile), 'latin1');
  } catch {
    return [];
  }
  const entries: TimeEntry[] = [];
  for (const line of text.split('\n')) {
    const [positionText, atText, flag] = line.split(' ');
    if (!positionText || !atText) continue;
    const position = Number(positionText);
    const at = Number(atText);
    // A torn last line (the agent died mid-write) is skipped.
    if (!Number.isSafeInteger(position) || !Number.isSafeInteger(at)) continue;
    entries.push(flag === 'start' ? { position, at, start: true } : { position, at });
  }
  // Written in time order; positions only go back after a copy-and-truncate rotation, which shifts the index (shiftTimes).
  return entries.sort((a, b) => a.position - b.position || a.at - b.at);
}

function entryLine(entry: TimeEntry): string {
  return `${entry.position} ${entry.at}${entry.start ? ' start' : ''}\n`;
}

/** Appends one entry. */
export function appendTime(logFile: string, entry: TimeEntry): void {
  fs.appendFileSync(timesFileOf(logFile), entryLine(entry), { mode: 0o600 });
}

/** Replaces a log's index with `entries` (atomically: a reader sees the old or the new one). */
export function writeTimes(logFile: string, entries: readonly TimeEntry[]): void {
  const file = timesFileOf(logFile);
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, entries.map(entryLine).join(''), { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * The index after a rotation: entries for bytes no longer kept go (those
 * before `oldestKept`), and every position moves by `shift` (a copy-and-truncate
 * rotation starts positions again at 0; collapsing ones keep them: shift 0).
 */
export function keptTimes(entries: readonly TimeEntry[], oldestKept: number, shift: number): TimeEntry[] {
  return entries.map((entry) => ({ ...entry, position: entry.position + shift })).filter((entry) => entry.position > oldestKept);
}

/** When the line ending at `end` was written: the first entry at or past it; null past the last entry. */
export function timeAt(entries: readonly TimeEntry[], end: number): number | null {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.position < end) low = middle + 1;
    else high = middle;
  }
  return entries[low]?.at ?? null;
}

/** Where reading may start to find every line written at or after `since`: after the last entry older than it. */
export function positionBefore(entries: readonly TimeEntry[], since: number): number | null {
  let found: number | null = null;
  for (const entry of entries) {
    if (entry.at < since) found = found === null ? entry.position : Math.max(found, entry.position);
  }
  return found;
}
