/**
 * The queue items a crashed agent left, for `taskwarden down` with no agent:
 * running items the store records (alive with the same pid and start time) and
 * group leaders carrying a queue item marker (started just before the crash).
 * Each gets SIGKILL (a queue kill is SIGKILL to the group); a recorded item that
 * was stopped goes to the history as killed (exit -9).
 */
import type { LeftoverFinder } from '../core/part';
import { runLeftovers } from '../core/runLeftovers';
import type { QueueItem } from './protocol';
import { QueueStore, type LiveRow } from './queueStore';

export const KILLED_BY_DOWN = 'killed by taskwarden down (no agent was running)';

function killedRecord(row: LiveRow, at: number): QueueItem {
  const run = row.run!;
  return {
    id: row.id,
    queue: row.queue,
    state: -1,
    cmd: row.spec.cmd,
    cwd: row.spec.cwd,
    env: row.spec.env,
    after: row.spec.after,
    pid: run.pid,
    exit: -9,
    stderr: 0,
    error: KILLED_BY_DOWN,
    warnings: [],
    killed: true,
    timeQueue: row.timeQueue,
    timeStart: run.startedAt,
    timeEnd: at,
    final: run.final,
    stdoutFile: run.stdoutFile,
    stderrFile: run.stderrFile,
  };
}

export const queueLeftovers: LeftoverFinder = ({ db, leaders }) => {
  const store = db === null ? null : new QueueStore(db);
  const recorded = (store?.loadLive() ?? []).flatMap((row) =>
    row.run === null ? [] : [{ row, identity: { pid: row.run.pid, startTime: row.run.startTicks }, name: row.id }],
  );
  return runLeftovers(recorded, leaders, {
    kind: 'queue item',
    signal: 'SIGKILL',
    timeoutMs: 1000,
    forget: (row, at) => store?.recordEnd(killedRecord(row, at)),
  });
};
