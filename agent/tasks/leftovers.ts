/**
 * The tracked tasks a crashed agent left, for `taskwarden down` with no agent:
 * the running tasks the store records (alive with the same pid and start
 * time) and group leaders carrying a task marker (a task launched just before
 * the crash, its row never written). Each gets SIGTERM, the usual grace, then
 * SIGKILL. A recorded task that was stopped goes to the history as killed, with
 * its last saved feedback; one whose process had already ended is left to the
 * next agent, which records it as ended while no agent watched.
 */
import * as fs from 'node:fs';
import { isSameProcessAlive } from '../proc/processIdentity';
import type { TaskHistoryEntry } from '../protocol/tasks';
import type { LeftoverFinder, LeftoverProcess } from '../core/part';
import { STOP_GRACE_MS } from './taskSupervisor';
import { TaskStore, type LiveTaskRow } from './taskStore';

/** The history error of a task `down` stopped. */
export const KILLED_BY_DOWN = 'killed by taskwarden down (no agent was running)';

function label(id: number, name: string | null): string {
  return name === null ? String(id) : `${id} (${name})`;
}

function killedEntry(row: LiveTaskRow, endAt: number): TaskHistoryEntry {
  const start = row.startedAt ?? row.reservedAt;
  return {
    id: row.id,
    name: row.name,
    info1: row.info1,
    info2: row.info2,
    info3: row.info3,
    argv: row.argv ?? [],
    pid: row.pid,
    outcome: 'killed',
    exitCode: null,
    signal: null,
    error: KILLED_BY_DOWN,
    start,
    end: endAt,
    durationMs: Math.max(0, endAt - start),
    feedback: row.feedback,
    stdoutFile: row.stdoutFile,
    stderrFile: row.stderrFile,
  };
}

export const taskLeftovers: LeftoverFinder = ({ db, leaders }) => {
  const store = db === null ? null : new TaskStore(db);
  const rows = new Map<number, LiveTaskRow>();
  const found = new Map<number, LeftoverProcess>();
  for (const row of store?.liveRows() ?? []) {
    if (row.status === 'RESERVED' || row.pid === null || row.startTicks === null) continue;
    const identity = { pid: row.pid, startTime: row.startTicks };
    if (!isSameProcessAlive(identity)) continue;
    rows.set(row.pid, row);
    found.set(row.pid, { identity, kind: 'task', name: label(row.id, row.name), signal: 'SIGTERM', timeoutMs: STOP_GRACE_MS });
  }
  for (const { identity, id } of leaders)
    if (!found.has(identity.pid))
      found.set(identity.pid, { identity, kind: 'task', name: id, signal: 'SIGTERM', timeoutMs: STOP_GRACE_MS });
  return {
    processes: [...found.values()],
    forget: (stopped) => {
      if (store === null) return;
      const now = Date.now();
      for (const leftover of stopped) {
        const row = rows.get(leftover.identity.pid);
        if (row === undefined) continue;
        store.finish(killedEntry(row, now), null);
        if (row.feedbackFile !== null && !row.keepFeedback) fs.rmSync(row.feedbackFile, { force: true });
      }
    },
  };
};
