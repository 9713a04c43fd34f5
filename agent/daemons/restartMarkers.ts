/**
 * A daemon instance's restarts, for the marked lines of `taskwarden logs`
 * (core/timedOutput.ts): from the exits the store keeps (each with the start
 * of the process that ended), each exit with how it went and the start that
 * followed it, if one did.
 */
import type { RunRestart } from '../core/outputSources';
import { describeExit } from './protocol';
import type { ExitRow } from './store';

/** `exits` oldest first; `currentStart` is the live process's start, if one runs. */
export function restartsFrom(exits: readonly ExitRow[], currentStart: number | null): RunRestart[] {
  const restarts: RunRestart[] = [];
  exits.forEach((exit, index) => {
    const next = index + 1 < exits.length ? exits[index + 1]!.startedAt : currentStart;
    restarts.push({
      // A start not stamped yet (the new process's first lines can come first) or none: null.
      at: next !== null && next >= exit.exitedAt ? next : null,
      previousEnd: exit.exitedAt,
      previousExit: describeExit({ code: exit.code, signal: exit.signal, at: exit.exitedAt, reason: exit.reason }),
    });
  });
  return restarts;
}
