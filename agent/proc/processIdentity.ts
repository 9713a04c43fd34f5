/**
 * A process is identified by pid + start time (field 22 of /proc/<pid>/stat, in
 * clock ticks since boot), so a recycled pid is never mistaken for ours.
 */
import * as fs from 'node:fs';

export interface ProcessIdentity {
  readonly pid: number;
  /** Start time in clock ticks since boot, from /proc/<pid>/stat. */
  readonly startTime: number;
}

export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  readonly startTime: number;
}

/**
 * One buffer for every read: /proc files report size 0, so readFileSync would
 * allocate 64 KiB per call, and this runs on every spawn and every adoption poll.
 * A stat line is at most a few hundred bytes.
 */
const statBuffer = Buffer.allocUnsafe(4096);

/** Parses /proc/<pid>/stat; null when the process does not exist. */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    const fd = fs.openSync(`/proc/${pid}/stat`, 'r');
    try {
      text = statBuffer.toString('latin1', 0, fs.readSync(fd, statBuffer, 0, statBuffer.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const number = (index: number): number => Number(fields[index - 3]);
  return { pid, state: fields[0] ?? '?', ppid: number(4), pgid: number(5), startTime: number(22) };
}

/** The identity of a live process, or null. */
export function identify(pid: number): ProcessIdentity | null {
  const stat = readProcStat(pid);
  return stat ? { pid, startTime: stat.startTime } : null;
}

/** True when this exact process (same pid and start time) still runs and is not a zombie. */
export function isSameProcessAlive(identity: ProcessIdentity): boolean {
  const stat = readProcStat(identity.pid);
  return stat !== null && stat.startTime === identity.startTime && stat.state !== 'Z' && stat.state !== 'X';
}

/** True when any process (even a zombie) holds this pid. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
