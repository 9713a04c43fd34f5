/**
 * Size-capped rotation of one log file that a process keeps appending to.
 *
 * With the native helper (spawner/rotate.c, `taskwarden-spawner rotate`) the
 * rotation keeps whole lines and loses none: lines over the cap go, in pieces
 * of at most `maxBytes`, to FILE.1 … FILE.keep and leave the front of the live
 * file in place (COLLAPSE_RANGE; see rotate.c for the marker line this leaves).
 * The helper is a separate program so that a rotation the agent started ends
 * even if the agent dies in the middle, and so that a helper that outlives its
 * agent rotates the same way (spawner.c, "linger").
 *
 * Without the helper (not compiled, TASKWARDEN_SPAWNER=off) rotation copies and
 * truncates, as the helper does on file systems without COLLAPSE_RANGE: a line
 * written in the moment between the last copy and the truncate can be lost and
 * the cut can fall inside a line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { readLogHeadOf } from './rotatedLog';
import { locateSpawner } from './spawnHelper';

/** How big a log file may grow and how many rotated files are kept. */
export interface RotationPolicy {
  readonly maxBytes: number;
  /** Rotated files kept besides the live one. */
  readonly keep: number;
}

/** The caps when a config sets none, for every part's output (10 MiB, 3 rotated files). */
export const DEFAULT_ROTATION_POLICY: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 3 };

/** Bytes that left the front of the file: 0 when nothing did, Infinity when the file was emptied. */
export type RemovedBytes = number;

/**
 * Rotates `file` when its lines pass the cap; how many bytes left its front.
 * Only the first `upTo` bytes may leave (what the file's followers have read),
 * unless the file must be emptied.
 */
export function rotateLogFile(file: string, policy: RotationPolicy, upTo: number): RemovedBytes {
  const helper = locateSpawner();
  if (helper === null) return rotateByCopy(file, policy);
  const result = spawnSync(helper, ['rotate', file, String(policy.maxBytes), String(policy.keep), String(upTo)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  if (result.status !== 0) {
    const why = result.stderr.trim() || (result.error?.message ?? `exit ${result.status ?? result.signal}`);
    throw new Error(why);
  }
  const answer = result.stdout.trim();
  return answer === 'all' ? Infinity : Number(answer);
}

/** Byte ranges of the file that become rotated files, oldest first. */
type Piece = readonly [start: number, end: number];

/**
 * Splits [from, to) into pieces of at most `maxBytes` at line ends (a longer
 * line alone), the last one ending at `to` even inside a line, as rotate.c
 * does without COLLAPSE_RANGE.
 */
function everythingInPieces(fd: number, from: number, to: number, maxBytes: number): Piece[] {
  const pieces: Piece[] = [];
  const buffer = Buffer.allocUnsafe(1 << 20);
  let pieceStart = from;
  let last = from;
  for (let position = from; position < to;) {
    const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, to - position), position);
    if (read <= 0) break;
    const chunk = buffer.subarray(0, read);
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, newline + 1)) {
      const end = position + newline + 1;
      if (end - pieceStart > maxBytes && last > pieceStart) {
        pieces.push([pieceStart, last]);
        pieceStart = last;
      }
      if (end - pieceStart > maxBytes) {
        pieces.push([pieceStart, end]);
        pieceStart = end;
      }
      last = end;
    }
    position += read;
  }
  if (to - pieceStart <= maxBytes) {
    if (to > pieceStart) pieces.push([pieceStart, to]);
  } else {
    if (last > pieceStart) pieces.push([pieceStart, last]);
    for (let start = last; start < to; start += maxBytes) pieces.push([start, Math.min(start + maxBytes, to)]);
  }
  return pieces;
}

function copyRange(fd: number, from: number, to: number, target: string, flags: 'w' | 'a', mode: number): void {
  const output = fs.openSync(target, flags, mode);
  try {
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, to - from)));
    for (let position = from; position < to;) {
      const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, to - position), position);
      if (read <= 0) break;
      fs.writeSync(output, buffer, 0, read);
      position += read;
    }
  } finally {
    fs.closeSync(output);
  }
}

/** The newest `keep` pieces become FILE.1 … (newest first); older rotated files move up, those past `keep` go. */
function writeRotated(file: string, fd: number, pieces: readonly Piece[], keep: number, mode: number): void {
  const kept = Math.min(pieces.length, keep);
  for (let index = 0; index < kept; index += 1) {
    const [start, end] = pieces[pieces.length - 1 - index]!;
    copyRange(fd, start, end, `${file}.rotating.${index + 1}`, 'w', mode);
  }
  for (let index = keep + 1; fs.existsSync(`${file}.${index}`); index += 1) fs.rmSync(`${file}.${index}`, { force: true });
  for (let index = keep; index >= 1; index -= 1) {
    if (index + kept > keep) fs.rmSync(`${file}.${index}`, { force: true });
    else if (fs.existsSync(`${file}.${index}`)) fs.renameSync(`${file}.${index}`, `${file}.${index + kept}`);
  }
  for (let index = 1; index <= kept; index += 1) fs.renameSync(`${file}.rotating.${index}`, `${file}.${index}`);
}

/** Copy and truncate: the rotation without the helper. */
function rotateByCopy(file: string, policy: RotationPolicy): RemovedBytes {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return 0;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.size <= policy.maxBytes) return 0;
    const head = readLogHeadOf(fd);
    if (stat.size - head.length <= policy.maxBytes) return 0;
    const mode = stat.mode & 0o777;
    if (policy.keep > 0) {
      writeRotated(file, fd, everythingInPieces(fd, head.length, stat.size, policy.maxBytes), policy.keep, mode);
      // What arrived meanwhile joins the newest rotated file.
      const now = fs.fstatSync(fd).size;
      if (now > stat.size) copyRange(fd, stat.size, now, `${file}.1`, 'a', mode);
    }
    fs.truncateSync(file, 0);
    return Infinity;
  } finally {
    fs.closeSync(fd);
  }
}
