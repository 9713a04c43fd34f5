/**
 * The time side of a follow (outputFollows.ts): each line's time from its
 * log's time index (proc/logTimes.ts), `since` as a place to start reading
 * and a filter, and the marked lines where a run's process restarted, placed
 * among the lines by time. Live lines get the time they arrived (a follower
 * reads a write as it lands).
 */
import * as fs from 'node:fs';
import { positionBefore, readTimes, timeAt } from '../proc/logTimes';
import type { LogRead } from '../proc/rotatedLog';
import type { OutputLine, OutputStream } from '../protocol/output';
import { markerText } from '../protocol/outputMarkers';
import type { RunRestart } from './outputSources';

/** A line read, with its time when one was asked for. */
export interface ReadLine {
  readonly text: string;
  readonly time?: number;
  readonly restart?: RunRestart;
}

/** Where to start reading `file` for every line written at or after `since` (-Infinity: from its oldest kept line). */
export function positionForSince(file: string, since: number): number {
  return positionBefore(readTimes(file), since) ?? -Infinity;
}

/** The lines of a read with their times: the index's, and for lines it does not reach yet the file's mtime. */
export function withTimes(file: string, read: LogRead): ReadLine[] {
  const entries = readTimes(file);
  let latest: number;
  try {
    latest = Math.round(fs.statSync(file).mtimeMs);
  } catch {
    latest = Date.now();
  }
  return read.lines.map((text, index) => ({ text, time: timeAt(entries, read.ends[index] ?? Infinity) ?? latest }));
}

/**
 * Restart markers placed before the first line written after the previous
 * process ended (that line is the new process's). A line stamped in the very
 * millisecond of the end counts as after it: the index's entry at a run's end
 * is taken when the agent has handled the exit, and the new process may have
 * written its first line by then (a line's time is an upper bound). Only those within the
 * lines' span are shown (from `since` when given, else from the first line's
 * time), so `-n 5` does not drag in last week's restarts; an exit no line
 * followed shows only if a new process was started.
 */
export function withRestarts(lines: readonly ReadLine[], restarts: readonly RunRestart[], since: number | null): ReadLine[] {
  const from = since ?? lines[0]?.time ?? Infinity;
  const shown = restarts.filter((restart) => restart.previousEnd >= from).sort((a, b) => a.previousEnd - b.previousEnd);
  const merged: ReadLine[] = [];
  let next = 0;
  for (const line of lines) {
    while (next < shown.length && line.time !== undefined && shown[next]!.previousEnd <= line.time)
      merged.push(markerLine(shown[next++]!, line.time));
    merged.push(line);
  }
  for (const restart of shown.slice(next)) if (restart.at !== null) merged.push(markerLine(restart, restart.at));
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
