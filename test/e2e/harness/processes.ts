/**
 * Finding and killing what an e2e run started, on Linux's /proc. Every process the harness starts
 * (code-server, Chromium) gets an environment variable naming its run; children inherit it, so even
 * a daemon that double-forked away from its parent is found and killed, and a leak check can prove
 * nothing is left.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Environment variable carried by every process an e2e run starts; its value is the run id. */
export const RUN_MARKER_VARIABLE = 'TASKWARDEN_E2E_RUN';

/** One process of the machine, as far as the harness cares. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line, spaces between arguments. */
  command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // A zombie is already dead; its parent reaps it.
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(fields[1]), command };
  } catch {
    return undefined; // Gone meanwhile.
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

function hasMarker(pid: number, runIdPrefix: string): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return environ.split('\0').some((entry) => entry.startsWith(`${RUN_MARKER_VARIABLE}=${runIdPrefix}`));
  } catch {
    return false;
  }
}

/** The processes whose environment carries the marker of run `runIdPrefix` (any run when ''). */
export function markedProcesses(runIdPrefix: string): ProcessInfo[] {
  return allPids()
    .filter((pid) => hasMarker(pid, runIdPrefix))
    .map(readProcess)
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** `rootPid` and all its descendants, found through parent ids. */
export function processTree(rootPid: number): ProcessInfo[] {
  const infos = allPids()
    .map(readProcess)
    .filter((info): info is ProcessInfo => info !== undefined);
  const found = new Set<number>([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of infos) {
      if (!found.has(info.pid) && found.has(info.ppid)) {
        found.add(info.pid);
        grew = true;
      }
    }
  }
  return infos.filter((info) => found.has(info.pid));
}

/** Sends `signal` to a process group and to each pid, ignoring the ones already gone. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals, groupLeader?: number): void {
  if (groupLeader !== undefined) {
    try {
      process.kill(-groupLeader, signal);
    } catch {
      // The group is empty already.
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
}

/**
 * Processes still carrying the marker of a code-server or browser started by this test process:
 * after every `stop()`/`close()` this must be empty (the suite's leak check).
 */
export function leakedProcesses(): ProcessInfo[] {
  return markedProcesses(`${process.pid}-`);
}
