/**
 * Task names as file names. A task name may hold any character (`/`, spaces,
 * `..`), and two names must never share a log file (`a b` and `a_b` once
 * both wrote `a_b.0.out`, so each one's `logs` showed the other's output).
 *
 * The encoding is percent-style and injective: bytes of the UTF-8 name outside
 * [A-Za-z0-9._-] become `%XX` (`%` itself too, so `%41` and `A` differ), and a
 * leading `.` becomes `%2E` (no hidden files, never `.` or `..`). A name made
 * of safe characters keeps its file name. A name whose encoding would pass
 * 160 bytes (file names are limited to 255, and the instance, `.out`, the
 * rotation number and a temporary suffix follow it) keeps its first 120 bytes
 * of encoding and ends in `~` and a hash of the whole name: `~` is never part
 * of an encoding (it would be `%7E`), so a shortened name cannot equal a
 * whole one.
 */
import { createHash } from 'node:crypto';

const SAFE_BYTE = /^[A-Za-z0-9._-]$/;
const MAX_ENCODED = 160;
const KEPT_WHEN_SHORTENED = 120;

function encodeByte(byte: number): string {
  const char = String.fromCharCode(byte);
  return byte < 0x80 && SAFE_BYTE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The task name as one file name component: readable, distinct per name, never a path or a hidden file. */
export function fileSafeName(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  let encoded = Array.from(bytes, encodeByte).join('');
  if (encoded.startsWith('.')) encoded = `%2E${encoded.slice(1)}`;
  if (encoded === '') encoded = '%';
  if (encoded.length <= MAX_ENCODED) return encoded;
  // Cut at a whole escape, so the kept part reads as it would in full.
  let cut = KEPT_WHEN_SHORTENED;
  const lastEscape = encoded.lastIndexOf('%', cut - 1);
  if (lastEscape > cut - 3) cut = lastEscape;
  return `${encoded.slice(0, cut)}~${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}
