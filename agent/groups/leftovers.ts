/**
 * The group runners a crashed agent left, for `taskwarden down` with no agent:
 * the runs the store records (alive with the same pid and start time) and the
 * group leaders marked `TASKWARDEN_RUN=groups:<name>`. Each gets SIGTERM, then
 * SIGKILL; the store then records no runner for the group.
 */
import type { LeftoverFinder } from '../core/part';
import { runLeftovers } from '../core/runLeftovers';
import { GroupStore } from './groupStore';

export const groupLeftovers: LeftoverFinder = ({ db, leaders }) => {
  const store = db === null ? null : new GroupStore(db);
  const recorded = (store?.loadAll() ?? []).flatMap((row) =>
    row.run === null ? [] : [{ row, identity: { pid: row.run.pid, startTime: row.run.startTicks }, name: row.name }],
  );
  return runLeftovers(recorded, leaders, {
    kind: 'group runner',
    signal: 'SIGTERM',
    timeoutMs: 2000,
    forget: (row) => store?.setRun(row.name, null),
  });
};
