/**
 * Follows a growing log file from an offset and delivers whole lines, the way
 * `tail -F` does: appended bytes are read as they land (inotify via fs.watch,
 * plus a slow poll as a safety net), a truncated or replaced file is read
 * again from its start. When the agent itself cuts the start off a file (log
 * rotation, `cutFileFront`), every follower of it reads up to date first and
 * moves back by as many bytes after, so nothing is delivered twice or skipped. Only runs while someone listens,
 * so an unwatched process's output costs the agent nothing.
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface FollowOptions {
  readonly file: string;
  /** Byte offset to start from (e.g. a saved offset, or the size for "new lines only"). */
  readonly offset: number;
  readonly onLines: (lines: string[], endOffset: number) => void;
  readonly pollMs?: number;
}

export interface Follower {
  /** The offset just after the last delivered line. */
  offset(): number;
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
  let position = options.offset;
  let lineStart = options.offset;
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
            options.onLines(
              lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line)),
              lineStart,
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
    close: () => {
      closed = true;
      clearInterval(poll);
      watcher?.close();
      shifts.delete(shiftable);
      if (shifts.size === 0 && followersOfFile.get(options.file) === shifts) followersOfFile.delete(options.file);
    },
  };
}

/** The last `count` lines of a file (for "recent history first"), read from its end. */
export function lastLines(file: string, count: number, maxBytes = 4 << 20): { lines: string[]; endOffset: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return { lines: [], endOffset: 0 };
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const chunk = Buffer.allocUnsafe(length);
    fs.readSync(fd, chunk, 0, length, size - length);
    let text = chunk.toString('utf8');
    // Only whole lines: drop a trailing partial line, and a leading one cut by maxBytes.
    const lastNewline = text.lastIndexOf('\n');
    const endOffset = size - length + Buffer.byteLength(text.slice(0, lastNewline + 1));
    text = text.slice(0, lastNewline + 1);
    let lines = text.split('\n').slice(0, -1);
    if (length < size) lines = lines.slice(1);
    return { lines: lines.slice(-count).map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line)), endOffset };
  } finally {
    fs.closeSync(fd);
  }
}
