/**
 * Reading a log file together with its rotated files (`FILE.1` newest …
 * `FILE.keep` oldest, written by rotation: spawner/rotate.c, or logRotation.ts
 * without the helper), as one stream of lines.
 *
 * After a rotation the live file may begin with one marker line,
 * "[taskwarden] older lines were rotated out (base N)" padded with spaces: bytes
 * already copied to `FILE.1` that the block-wise cut could not remove. Readers
 * skip it. N is the number of bytes that have left the front of the file, so
 * offset o of the live file is byte N + o of everything written to it: a
 * position that rotation does not change (offsets do), for a reader that
 * resumes later, even with another agent.
 */
import * as fs from 'node:fs';

const MARKER = /^\[taskwarden\] older lines were rotated out \(base (\d+)\) *$/;
/** A marker line is shorter than two file system blocks; read at most this much to find it. */
const HEAD_SCAN_BYTES = 2 * 65536 + 1;
const CHUNK = 1 << 16;

/** The base a marker line records, or null when the line is not a marker. */
export function rotationMarkerBase(line: string): number | null {
  const match = MARKER.exec(line);
  return match ? Number(match[1]) : null;
}

/** The live file's marker: its length in bytes (0: none) and the base it records (0: none). */
export interface LogHead {
  readonly length: number;
  readonly base: number;
}

const MARKER_START = Buffer.from('[taskwarden] older lines were rotated out (base ', 'latin1');

/** Reads the marker at the start of an open file. */
export function readLogHeadOf(fd: number): LogHead {
  const start = Buffer.allocUnsafe(MARKER_START.length);
  if (fs.readSync(fd, start, 0, start.length, 0) < start.length || !start.equals(MARKER_START)) return { length: 0, base: 0 };
  // Only a file that begins like a marker is read further, to the end of its first line.
  const buffer = Buffer.allocUnsafe(HEAD_SCAN_BYTES);
  const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
  const newline = buffer.subarray(0, read).indexOf(0x0a);
  if (newline < 0) return { length: 0, base: 0 };
  const base = rotationMarkerBase(buffer.toString('latin1', 0, newline));
  return base === null ? { length: 0, base: 0 } : { length: newline + 1, base };
}

/** Reads the marker at the start of `file` (none when the file does not exist). */
export function readLogHead(file: string): LogHead {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return { length: 0, base: 0 };
  }
  try {
    return readLogHeadOf(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The rotated files of `file` that exist, newest (`.1`) first. */
export function rotatedFiles(file: string): { file: string; size: number }[] {
  const found: { file: string; size: number }[] = [];
  for (let index = 1; ; index += 1) {
    const rotated = `${file}.${index}`;
    const stat = fs.statSync(rotated, { throwIfNoEntry: false });
    if (!stat) return found;
    found.push({ file: rotated, size: stat.size });
  }
}

/** A byte range of one file; a log's stream is a list of them, oldest first. */
interface Segment {
  readonly file: string;
  readonly from: number;
  readonly to: number;
  /** The position (see the file's header) of the file's byte 0. */
  readonly origin: number;
}

/** Lines, oldest first, and the position just after each one's newline. */
interface Lines {
  readonly lines: string[];
  readonly ends: number[];
}

/** The live file now: its marker, and where its last complete line ends. */
interface LiveState {
  readonly head: LogHead;
  readonly endOffset: number;
  readonly size: number;
}

function liveState(file: string): LiveState {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return { head: { length: 0, base: 0 }, endOffset: 0, size: 0 };
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = readLogHeadOf(fd);
    // Back from the end to the last newline: the line being written is not complete.
    const buffer = Buffer.allocUnsafe(CHUNK);
    let end = size;
    while (end > head.length) {
      const length = Math.min(CHUNK, end - head.length);
      fs.readSync(fd, buffer, 0, length, end - length);
      const newline = buffer.subarray(0, length).lastIndexOf(0x0a);
      if (newline >= 0) return { head, endOffset: end - length + newline + 1, size };
      end -= length;
    }
    return { head, endOffset: head.length, size };
  } finally {
    fs.closeSync(fd);
  }
}

function decodeLine(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** The last `count` lines of the segments (newline-terminated; bytes after the last newline are not a line yet), oldest first. */
function lastLinesOf(segments: readonly Segment[], count: number): Lines {
  const lines: string[] = [];
  const ends: number[] = [];
  const done = (): Lines => ({ lines: lines.reverse(), ends: ends.reverse() });
  if (count <= 0) return done();
  // The line being assembled backwards, in order, whether its newline was seen, and where that newline ends.
  let parts: Buffer[] = [];
  let terminated = false;
  let end = 0;
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (let index = segments.length - 1; index >= 0; index -= 1) {
    const segment = segments[index]!;
    let fd: number;
    try {
      fd = fs.openSync(segment.file, 'r');
    } catch {
      continue;
    }
    try {
      let position = segment.to;
      while (position > segment.from) {
        const length = Math.min(CHUNK, position - segment.from);
        const read = fs.readSync(fd, buffer, 0, length, position - length);
        const chunk = buffer.subarray(0, read);
        const chunkOrigin = segment.origin + position - length;
        let cut = read;
        for (let at = read - 1; at >= 0; at -= 1) {
          if (chunk[at] !== 0x0a) continue;
          if (terminated) {
            parts.unshift(Buffer.from(chunk.subarray(at + 1, cut)));
            lines.push(decodeLine(Buffer.concat(parts)));
            ends.push(end);
            if (lines.length === count) return done();
          }
          parts = [];
          terminated = true;
          cut = at;
          end = chunkOrigin + at + 1;
        }
        if (terminated) parts.unshift(Buffer.from(chunk.subarray(0, cut)));
        position -= length;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  if (terminated) {
    lines.push(decodeLine(Buffer.concat(parts)));
    ends.push(end);
  }
  return done();
}

/** Every complete line of the segments, oldest first. */
function allLinesOf(segments: readonly Segment[]): Lines {
  const lines: string[] = [];
  const ends: number[] = [];
  let partial: Buffer[] = [];
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (const segment of segments) {
    let fd: number;
    try {
      fd = fs.openSync(segment.file, 'r');
    } catch {
      continue;
    }
    try {
      for (let position = segment.from; position < segment.to;) {
        const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, segment.to - position), position);
        if (read <= 0) break;
        const chunk = buffer.subarray(0, read);
        let start = 0;
        for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
          partial.push(chunk.subarray(start, newline));
          lines.push(decodeLine(Buffer.concat(partial)));
          ends.push(segment.origin + position + newline + 1);
          partial = [];
          start = newline + 1;
        }
        if (start < read) partial.push(Buffer.from(chunk.subarray(start)));
        position += read;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return { lines, ends };
}

/** Lines read from a log, and where reading may go on in the live file. */
export interface LogRead {
  readonly lines: string[];
  /** The position just after each line (its newline), for the time index (logTimes.ts). */
  readonly ends: number[];
  /** Offset in the live file just after the last line returned (where a follower starts). */
  readonly endOffset: number;
  /** The same place as a position that rotation does not change (see the file's header). */
  readonly position: number;
  /** Bytes between the position asked for and the oldest one still kept (rotated away meanwhile). */
  readonly missedBytes: number;
}

/** The rotated files of `file` as segments, newest first, each with its origin before the live file's first line. */
function rotatedSegments(file: string, liveStart: number): Segment[] {
  let start = liveStart;
  return rotatedFiles(file).map((rotated) => {
    start -= rotated.size;
    return { file: rotated.file, from: 0, to: rotated.size, origin: start };
  });
}

/** The last `count` complete lines of `file` and its rotated files, oldest first. */
export function recentLines(file: string, count: number): LogRead {
  const live = liveState(file);
  const segments: Segment[] = [{ file, from: live.head.length, to: live.endOffset, origin: live.head.base }];
  if (count > 0) for (const rotated of rotatedSegments(file, live.head.base + live.head.length)) segments.unshift(rotated);
  return {
    ...lastLinesOf(segments, count),
    endOffset: live.endOffset,
    position: live.head.base + live.endOffset,
    missedBytes: 0,
  };
}

/**
 * The complete lines written to `file` from `position` on (a position an
 * earlier read or follower gave), across its rotated files. A position before
 * the oldest kept line starts there (`missedBytes` says how much is gone); one
 * past everything written means the file started over: all of it is new.
 */
export function linesSince(file: string, position: number): LogRead {
  const live = liveState(file);
  const liveStart = live.head.base + live.head.length;
  const end = live.head.base + live.endOffset;
  const origin = live.head.base;
  if (position >= liveStart && position <= end) {
    const from = position - live.head.base;
    return { ...allLinesOf([{ file, from, to: live.endOffset, origin }]), endOffset: live.endOffset, position: end, missedBytes: 0 };
  }
  const segments: Segment[] = [{ file, from: live.head.length, to: live.endOffset, origin }];
  if (position > end) return { ...allLinesOf(segments), endOffset: live.endOffset, position: end, missedBytes: 0 };
  // Before the live file: walk back through the rotated files to the one holding the position.
  let start = liveStart;
  for (const rotated of rotatedSegments(file, liveStart)) {
    start = rotated.origin;
    if (start <= position) {
      segments.unshift({ ...rotated, from: position - start });
      return { ...allLinesOf(segments), endOffset: live.endOffset, position: end, missedBytes: 0 };
    }
    segments.unshift(rotated);
  }
  return { ...allLinesOf(segments), endOffset: live.endOffset, position: end, missedBytes: start - position };
}
