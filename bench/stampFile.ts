/**
 * Reads the "<pid> <CLOCK_MONOTONIC ns>" lines that `stamp` and `lines` append to a file,
 * incrementally: each `next()` returns only the complete lines added since the last call.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';

export interface Stamp {
  readonly pid: number;
  readonly ns: bigint;
}

export class StampReader {
  private offset = 0;
  private partial = '';

  /** Starts reading at the current end of `path` (creating it empty if needed). */
  constructor(private readonly path: string) {
    if (!existsSync(path)) writeFileSync(path, '');
    const fd = openSync(path, 'r');
    this.offset = fstatSync(fd).size;
    closeSync(fd);
  }

  next(): Stamp[] {
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const text = this.partial + buffer.toString('latin1', 0, read);
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      return lines.filter((line) => line !== '').map(parseStamp);
    } finally {
      closeSync(fd);
    }
  }
}

function parseStamp(line: string): Stamp {
  const [pid, ns] = line.split(' ');
  if (pid === undefined || ns === undefined) throw new Error(`bad stamp line: ${line}`);
  return { pid: Number(pid), ns: BigInt(ns) };
}
