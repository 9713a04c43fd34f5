/**
 * The usual shape of a part's `LeftoverFinder` (core/part.ts): the runs its
 * store records as running, kept when the same process (pid and start time) is
 * still alive, then the marked group leaders its rows never named; each is
 * stopped the same way, and a stopped recorded run is written off by the part.
 */
import { isSameProcessAlive, type ProcessIdentity } from '../proc/processIdentity';
import type { LeftoverFinder, LeftoverInput, LeftoverProcess } from './part';

/** A run the part's store records as running. */
export interface RecordedRun<Row> {
  readonly row: Row;
  readonly identity: ProcessIdentity;
  /** How `down` names it: `7 (backup)`, `build-3`. */
  readonly name: string;
}

export interface RunLeftoverPolicy<Row> {
  /** The part's `runs.kind`. */
  readonly kind: string;
  readonly signal: NodeJS.Signals;
  readonly timeoutMs: number;
  /** Makes the store say a recorded run was stopped (`at`: when). */
  forget(row: Row, at: number): void;
}

export function runLeftovers<Row>(
  recorded: Iterable<RecordedRun<Row>>,
  leaders: LeftoverInput['leaders'],
  policy: RunLeftoverPolicy<Row>,
): ReturnType<LeftoverFinder> {
  const stop = { kind: policy.kind, signal: policy.signal, timeoutMs: policy.timeoutMs };
  const rows = new Map<number, Row>();
  const found = new Map<number, LeftoverProcess>();
  for (const run of recorded) {
    if (found.has(run.identity.pid) || !isSameProcessAlive(run.identity)) continue;
    rows.set(run.identity.pid, run.row);
    found.set(run.identity.pid, { identity: run.identity, name: run.name, ...stop });
  }
  for (const { identity, id } of leaders) if (!found.has(identity.pid)) found.set(identity.pid, { identity, name: id, ...stop });
  return {
    processes: [...found.values()],
    forget: (stopped) => {
      const now = Date.now();
      for (const leftover of stopped) {
        const row = rows.get(leftover.identity.pid);
        if (row !== undefined) policy.forget(row, now);
      }
    },
  };
}
