/**
 * Follows a growing log file from an offset and delivers whole lines, the way
 * `tail -F` does: appended bytes are read as they land (inotify via fs.watch,
 * plus a slow poll as a safety net), a truncated or replaced file is read
 * again from its start. When the agent itself cuts the start off a file (log
 * rotation, `cutFileFront`), every follower of it reads up to date first and
 * moves back by as many bytes after, so nothing is delivered twice or skipped.
 * The rotation marker a file may begin with (rotatedLog.ts) is not a line of
 * output: it is skipped, and its base turns offsets into positions that survive
 * rotations. Only runs while someone listens, so an unwatched process's output
 * costs the agent nothing.
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { readLogHead, rotationMarkerBase } from './rotatedLog';

export interface FollowOptions {
  readonly file: string;
  /** Byte offset to start from (e.g. a saved offset, or the size for "new lines only"). */
  readonly offset: number;
  /** Lines, the offset just after them, and that place as a position (base + offset, see rotatedLog.ts). */
  readonly onLines: (lines: string[], endOffset: number, position: number) => void;
  readonly pollMs?: number;
}

export interface Follower {
  /** The offset just after the last delivered line. */
  offset(): number;
  /** The same place as a position that rotations do not change. */
  position(): number;
  /** Reads and delivers everything written so far, now (e.g. before closing, once the writer is gone). */
  catchUp(): void;
  close(): void;
}

const CHUNK = 1 << 20;

interface Shiftable {
  /** Reads everything written so far, synchronously. */
  catchUp(): void;
  /** The first `removedBytes` of the file are gone (Infinity: all of it). */
  shift(removedBytes: number): void;
}

/** Followers by file, so a rotation can bring them up to date and tell them what it removed. */
const followersOfFile = new Map<string, Set<Shiftable>>();

/**
 * Runs `cut`, which removes bytes from the front of `file` and returns how many
 * (Infinity: it emptied the file), with every follower of the file caught up
 * first and moved back by as many bytes after, so none delivers a line twice
 * or misses one that went to the rotated copy.
 */
export function cutFileFront(file: string, cut: () => number): number {
  const followers = followersOfFile.get(file) ?? new Set();
  for (const follower of followers) follower.catchUp();
  const removed = cut();
  if (removed > 0) for (const follower of followers) follower.shift(removed);
  return removed;
}

export function followLog(options: FollowOptions): Follower {
  const head = options.offset > 0 ? readLogHead(options.file) : { length: 0, base: 0 };
  // An offset inside the marker (saved before a rotation) starts after it.
  let position = Math.max(options.offset, head.length);
  let lineStart = position;
  /** Bytes that left the front of the file before offset 0. */
  let base = head.base;
  /** Reading from the start of the file: its first line may be the rotation marker. */
  let atHead = position === 0;
  let inode: number | undefined;
  let decoder = new StringDecoder('utf8');
  let partial = '';
  let reading = false;
  let again = false;
  let closed = false;
  const buffer = Buffer.allocUnsafe(CHUNK);
  /** The file was emptied, truncated or replaced: read it again from its start. */
  const startOver = (): void => {
    position = 0;
    lineStart = 0;
    base = 0;
    atHead = true;
    partial = '';
    decoder = new StringDecoder('utf8');
  };
  const shiftable: Shiftable = {
    catchUp: () => readNew(),
    shift: (removedBytes) => {
      if (removedBytes > position) startOver();
      else {
        position -= removedBytes;
        lineStart = Math.max(0, lineStart - removedBytes);
        base += removedBytes;
      }
    },
  };
  const shifts = followersOfFile.get(options.file) ?? new Set();
  shifts.add(shiftable);
  followersOfFile.set(options.file, shifts);

  const readNew = (): void => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(options.file);
      } catch {
        return;
      }
      if ((inode !== undefined && stat.ino !== inode) || stat.size < position) startOver();
      inode = stat.ino;
      if (stat.size === position) return;
      const fd = fs.openSync(options.file, 'r');
      try {
        let bytes: number;
        while ((bytes = fs.readSync(fd, buffer, 0, CHUNK, position)) > 0) {
          position += bytes;
          const text = partial + decoder.write(buffer.subarray(0, bytes));
          const lines = text.split('\n');
          partial = lines.pop() ?? '';
          if (lines.length > 0) {
            lineStart = position - Buffer.byteLength(partial);
            if (atHead) {
              atHead = false;
              const markerBase = rotationMarkerBase(lines[0]!);
              if (markerBase !== null) {
                base = markerBase;
                lines.shift();
              }
            }
            if (lines.length > 0)
              options.onLines(
                lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line)),
                lineStart,
                base + lineStart,
              );
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      reading = false;
      if (again && !closed) {
        again = false;
        setImmediate(readNew);
      }
    }
  };

  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(options.file, () => readNew());
    watcher.on('error', () => undefined);
  } catch {
    // The file may not exist yet; the poll picks it up.
  }
  const poll = setInterval(readNew, options.pollMs ?? 1000);
  poll.unref();
  setImmediate(readNew);

  return {
    offset: () => lineStart,
    position: () => base + lineStart,
    catchUp: () => readNew(),
    close: () => {
      closed = true;
      clearInterval(poll);
      watcher?.close();
      shifts.delete(shiftable);
      if (shifts.size === 0 && followersOfFile.get(options.file) === shifts) followersOfFile.delete(options.file);
    },
  };
}
