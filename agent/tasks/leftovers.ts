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
import type { TaskHistoryEntry } from './protocol';
import type { LeftoverFinder } from '../core/part';
import { runLeftovers } from '../core/runLeftovers';
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
  const recorded = (store?.liveRows() ?? []).flatMap((row) =>
    row.status === 'RESERVED' || row.pid === null || row.startTicks === null
      ? []
      : [{ row, identity: { pid: row.pid, startTime: row.startTicks }, name: label(row.id, row.name) }],
  );
  return runLeftovers(recorded, leaders, {
    kind: 'task',
    signal: 'SIGTERM',
    timeoutMs: STOP_GRACE_MS,
    forget: (row, at) => {
      store?.finish(killedEntry(row, at), null);
      if (row.feedbackFile !== null && !row.keepFeedback) fs.rmSync(row.feedbackFile, { force: true });
    },
  });
};
