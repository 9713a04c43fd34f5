/**
 * Readers of /proc: a process's CPU time, RSS, state and start time, and the process table.
 * Everything returns null for a process that is gone instead of throwing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  /** R, S, D, Z, T... */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** user + system CPU time in clock ticks (utime + stime). */
  readonly cpuTicks: number;
  /** Clock ticks after boot; with the pid it names one process even if the pid is reused. */
  readonly startTime: number;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Parses /proc/PID/stat (the comm field may contain spaces and parentheses). */
export function readStat(pid: number): ProcStat | null {
  const text = readText(`/proc/${pid}/stat`);
  if (text === null) return null;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  // Fields after the comm, numbered from 3 (state) as in proc(5).
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    cpuTicks: field(14) + field(15),
    startTime: field(22),
  };
}

function ownRssKb(pid: number): number | null {
  const text = readText(`/proc/${pid}/status`);
  const match = text === null ? null : /^VmRSS:\s+(\d+) kB/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** VmRSS in kB of a supervisor plus its helpers, or null (gone, or a zombie without memory). */
export function readRssKb(pid: number): number | null {
  const own = ownRssKb(pid);
  return own === null ? null : helpersOf(pid).reduce((sum, helper) => sum + (ownRssKb(helper) ?? 0), own);
}

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of the CPU fields in /proc (100 on Linux). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * A supervisor's own helper processes, whose costs are the supervisor's: Taskwarden's spawn
 * helper (`taskwarden-spawner`, a child of the agent). Supervised programs are not counted.
 */
function helpersOf(pid: number): number[] {
  // The kernel's list of the process's children (its main thread spawns them): no scan of /proc per sample.
  const children = (readText(`/proc/${pid}/task/${pid}/children`) ?? '').split(' ').filter(Boolean).map(Number);
  return children.filter((child) => readStat(child)?.comm.startsWith('taskwarden-spaw'));
}

/** CPU seconds (user + system) a supervisor and its helpers have used so far, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  const stat = readStat(pid);
  if (stat === null) return null;
  const helperTicks = helpersOf(pid).reduce((sum, helper) => sum + (readStat(helper)?.cpuTicks ?? 0), 0);
  return (stat.cpuTicks + helperTicks) / clockTicksPerSecond();
}

/** The identity of a running process, to tell later whether *that* process has ended. */
export interface ProcIdentity {
  readonly pid: number;
  readonly startTime: number;
}

export function identify(pid: number): ProcIdentity | null {
  const stat = readStat(pid);
  return stat === null || stat.state === 'Z' ? null : { pid, startTime: stat.startTime };
}

/** True once the process has terminated: no /proc entry, a zombie, or the pid was reused. */
export function hasEnded(process: ProcIdentity): boolean {
  const stat = readStat(process.pid);
  return stat === null || stat.state === 'Z' || stat.startTime !== process.startTime;
}

export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/** All pids in the process table. */
export function listPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The NUL-separated environment of a process (root can read anyone's), or null. */
export function readEnviron(pid: number): string[] | null {
  const text = readText(`/proc/${pid}/environ`);
  return text === null ? null : text.split('\0');
}

export function readCmdline(pid: number): string {
  return (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim();
}

/** A file's size in bytes, 0 while it does not exist (log files appear once a run starts). */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
