/**
 * The time side of a follow (outputFollows.ts): each line's time from its
 * log's time index (proc/logTimes.ts), `since` as a place to start reading
 * and a filter, and the marked lines where a run's process restarted, placed
 * among the lines by position: where the new process's output began, from
 * the start entry the index got just before it was spawned. Live lines get
 * the time they arrived (a follower reads a write as it lands).
 */
import * as fs from 'node:fs';
import { positionBefore, readTimes, timeAt, type TimeEntry } from '../proc/logTimes';
import type { LogRead } from '../proc/rotatedLog';
import type { OutputLine, OutputStream } from '../protocol/output';
import { markerText } from '../protocol/outputMarkers';
import type { RunRestart } from './outputSources';

/** A line read, with its time when one was asked for. */
export interface ReadLine {
  readonly text: string;
  readonly time?: number;
  /** The position just after the line (logTimes.ts), for lines read from a file. */
  readonly end?: number;
  readonly restart?: RunRestart;
}

/** Where to start reading `file` for every line written at or after `since` (-Infinity: from its oldest kept line). */
export function positionForSince(file: string, since: number): number {
  return positionBefore(readTimes(file), since) ?? -Infinity;
}

/** The lines of a read with their times and positions: the index's (`entries`), and for lines it does not reach yet the file's mtime. */
export function withTimes(file: string, read: LogRead, entries: readonly TimeEntry[] = readTimes(file)): ReadLine[] {
  let latest: number;
  try {
    latest = Math.round(fs.statSync(file).mtimeMs);
  } catch {
    latest = Date.now();
  }
  return read.lines.map((text, index) => {
    const end = read.ends[index] ?? Infinity;
    return { text, time: timeAt(entries, end) ?? latest, end };
  });
}

/**
 * Where the process after `restarts[index]` began writing: the last start
 * entry (`entries`, logTimes.ts) stamped between the previous process's end
 * and the new one's start (or the next restart's end). Both are the agent's
 * own clock, read in that order, so the pairing holds however fast the
 * restart. Null when the index has no such entry (written by an older agent,
 * or rotated away).
 */
function startPositionOf(restarts: readonly RunRestart[], index: number, entries: readonly TimeEntry[]): number | null {
  const restart = restarts[index]!;
  const until = restart.at ?? restarts[index + 1]?.previousEnd ?? Infinity;
  let found: number | null = null;
  for (const entry of entries) if (entry.start && entry.at >= restart.previousEnd && entry.at <= until) found = entry.position;
  return found;
}

/**
 * Restart markers placed between the previous process's last line and the
 * new one's first: before the first line that ends past the position where
 * the new process began writing (its start entry in `entries`). Without a
 * start entry, before the first line stamped at or after the previous
 * process's end (times are upper bounds, from a coarser clock: the marker
 * may land a line late). Only restarts within the lines' span are shown
 * (from `since` when given, else from the first line's time), so `-n 5` does
 * not drag in last week's restarts; an exit no line followed shows only if a
 * new process was started.
 */
export function withRestarts(
  lines: readonly ReadLine[],
  restarts: readonly RunRestart[],
  since: number | null,
  entries: readonly TimeEntry[] = [],
): ReadLine[] {
  const from = since ?? lines[0]?.time ?? Infinity;
  const ordered = [...restarts].sort((a, b) => a.previousEnd - b.previousEnd);
  const placed: { restart: RunRestart; before: number }[] = [];
  ordered.forEach((restart, index) => {
    if (restart.previousEnd < from) return;
    const position = startPositionOf(ordered, index, entries);
    const found =
      position !== null
        ? lines.findIndex((line) => line.end !== undefined && line.end > position)
        : lines.findIndex((line) => line.time !== undefined && restart.previousEnd <= line.time);
    // Markers keep their order even where a position and a time disagree.
    const before = Math.max(found < 0 ? lines.length : found, placed.at(-1)?.before ?? 0);
    placed.push({ restart, before });
  });
  const merged: ReadLine[] = [];
  let next = 0;
  lines.forEach((line, index) => {
    for (; next < placed.length && placed[next]!.before === index; next += 1)
      merged.push(markerLine(placed[next]!.restart, line.time ?? Date.now()));
    merged.push(line);
  });
  for (const { restart } of placed.slice(next)) if (restart.at !== null) merged.push(markerLine(restart, restart.at));
  return merged;
}

/** A marker line; a restart whose start is not stamped yet takes the time of the first line after it. */
export function markerLine(restart: RunRestart, firstLineAfter: number): ReadLine {
  return { text: '', time: restart.previousEnd, restart: { ...restart, at: restart.at ?? firstLineAfter } };
}

/** The protocol's line: `time` only when asked for, a marker worded. */
export function outputLine(run: string, stream: OutputStream, line: ReadLine, timestamps: boolean): OutputLine {
  const time = timestamps && line.time !== undefined ? { time: line.time } : {};
  if (line.restart) {
    const marker = { kind: 'restart' as const, at: line.restart.at ?? line.time ?? Date.now(), previousExit: line.restart.previousExit };
    return { run, stream, text: markerText(marker), ...time, marker };
  }
  return { run, stream, text: line.text, ...time };
}
