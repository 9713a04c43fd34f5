/**
 * The job commands a crashed agent left, for `taskwarden down` with no agent:
 * running commands the store records (alive with the same pid and start time)
 * and group leaders marked as a job's run (started just before the crash).
 * Each gets SIGKILL to its group (as at a time limit); a recorded one gets an
 * UNKNOWN check event saying so.
 */
import type { LeftoverFinder, LeftoverProcess } from '../core/part';
import { isSameProcessAlive } from '../proc/processIdentity';
import { checkEvent } from './checkEvent';
import { DEFAULT_EVENTS_KEPT } from './config/jobsConfig';
import { JobStore } from './jobStore';

export const KILLED_BY_DOWN = 'killed by taskwarden down (no agent was running)';

export const jobLeftovers: LeftoverFinder = ({ db, leaders }) => {
  const store = db === null ? null : new JobStore(db);
  const recorded = new Map<number, { name: string; startedAt: number }>();
  const found = new Map<number, LeftoverProcess>();
  for (const row of store?.loadStates() ?? []) {
    if (row.running === null) continue;
    const identity = { pid: row.running.pid, startTime: row.running.startTicks };
    if (!isSameProcessAlive(identity)) continue;
    recorded.set(identity.pid, { name: row.name, startedAt: row.running.startedAt });
    found.set(identity.pid, { identity, kind: 'job', name: row.name, signal: 'SIGKILL', timeoutMs: 1000 });
  }
  for (const leader of leaders)
    if (!found.has(leader.identity.pid))
      found.set(leader.identity.pid, { identity: leader.identity, kind: 'job', name: leader.id, signal: 'SIGKILL', timeoutMs: 1000 });
  return {
    processes: [...found.values()],
    forget: (stopped) => {
      if (store === null) return;
      const now = Date.now();
      for (const leftover of stopped) {
        const row = recorded.get(leftover.identity.pid);
        if (row === undefined) continue;
        store.addEvent(checkEvent(row.name, 'command', { state: 3, output: KILLED_BY_DOWN }, row.startedAt, now), DEFAULT_EVENTS_KEPT);
        store.update(row.name, { running: null });
      }
      store.flush();
    },
  };
};
