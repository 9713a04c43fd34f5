/**
 * What a previous agent left running. The store names each instance's process
 * by pid + start time; a process whose start time differs is a recycled pid,
 * not ours. Every daemon also carries TASKWARDEN_RUN=daemons:<instance> / TASKWARDEN_WORKSPACE
 * in its environment (proc/workspaceMarker.ts), so a process the store missed
 * (the agent died between the spawn and the write) is found by scanning the
 * process table for group leaders with our marker. Two live processes for one instance: the one the
 * store names is kept and the other is reported as a stray to stop.
 */
import { isSameProcessAlive, type ProcessIdentity } from '../proc/processIdentity';
import type { RunRecord } from '../proc/supervisedRun';
import { scanWorkspaceProcesses } from '../proc/workspaceMarker';
import type { Adoptable } from './supervisor';
import type { InstanceRow } from './store';

export interface AdoptionScan {
  readonly adoptable: Map<string, Adoptable>;
  /** Our processes that must not run (a second copy of an instance). */
  readonly strays: ProcessIdentity[];
}

/** Processes that lead their own group and carry this workspace's daemon marker: instance id → identity. */
export function markedProcesses(workspace: string): Map<string, ProcessIdentity[]> {
  const found = new Map<string, ProcessIdentity[]>();
  for (const marked of scanWorkspaceProcesses(workspace)) {
    // Only the group leader is the daemon; its children inherit the marker too.
    if (marked.run?.part !== 'daemons' || marked.pgid !== marked.pid) continue;
    found.set(marked.run.id, [...(found.get(marked.run.id) ?? []), { pid: marked.pid, startTime: marked.startTime }]);
  }
  return found;
}

/** The record of a marked process the store did not name: started now as far as we know, offsets carried over. */
function foundRun(identity: ProcessIdentity, saved: RunRecord | null): RunRecord {
  return {
    pid: identity.pid,
    startTicks: identity.startTime,
    startedAt: Date.now(),
    outOffset: saved?.outOffset ?? 0,
    errOffset: saved?.errOffset ?? 0,
  };
}

/** Matches the saved rows with the live processes. */
export function scanForAdoption(rows: readonly InstanceRow[], workspace: string): AdoptionScan {
  const marked = markedProcesses(workspace);
  const adoptable = new Map<string, Adoptable>();
  const strays: ProcessIdentity[] = [];
  for (const row of rows) {
    const saved = row.run;
    const live = saved && isSameProcessAlive({ pid: saved.pid, startTime: saved.startTicks }) ? saved : null;
    const others = (marked.get(row.id) ?? []).filter((candidate) => candidate.pid !== live?.pid);
    marked.delete(row.id);
    if (live) {
      strays.push(...others);
      adoptable.set(row.id, { row, live });
      continue;
    }
    const [first, ...rest] = others;
    strays.push(...rest);
    adoptable.set(row.id, { row, live: first ? foundRun(first, saved) : null });
  }
  // Marked processes with no row at all: the store never heard of them.
  for (const [id, identities] of marked) {
    const [first, ...rest] = identities;
    strays.push(...rest);
    if (!first) continue;
    const separator = id.lastIndexOf(':');
    adoptable.set(id, {
      row: {
        id,
        task: id.slice(0, separator),
        instance: Number(id.slice(separator + 1)),
        run: null,
        // Unknown: the marker proves it is ours, so it is adopted as it is.
        fingerprint: null,
        ready: false,
        restarts: 0,
        hold: null,
        completedAt: null,
        lastExitCode: null,
        lastExitSignal: null,
        lastExitAt: null,
        lastExitReason: null,
      },
      live: foundRun(first, null),
    });
  }
  return { adoptable, strays };
}
