/**
 * A task's output for `taskwarden/output/follow`: `7` names task 7, running
 * (its files still grow) or finished (read back from the files kept with its
 * history entry).
 */
import type { OutputSources } from '../core/outputSources';
import { failure } from '../core/rpc';
import { ErrorCodes } from '../protocol/errors';
import type { TasksPart } from './tasksPart';

export function taskOutputs(part: TasksPart): OutputSources {
  return (id) => {
    if (!/^\d+$/.test(id)) return failure(ErrorCodes.InvalidParams, `a task id is a number, not '${id}'`);
    const live = part.registry.get(Number(id));
    if (live) {
      if (live.stdoutFile === null || live.stderrFile === null)
        return failure(ErrorCodes.NotFound, `task ${id} has no output yet: it is reserved, not launched`);
      return [
        {
          id,
          files: { stdout: live.stdoutFile, stderr: live.stderrFile },
          finished: false,
          onFinished: (listener) => part.whenEnded(live.id, listener),
        },
      ];
    }
    const entry = part.store.historyEntry(Number(id));
    if (!entry) return failure(ErrorCodes.NotFound, `no task ${id} (neither running nor in the history)`);
    if (entry.stdoutFile === null || entry.stderrFile === null)
      return failure(ErrorCodes.NotFound, `task ${id} ended without output files: it was never launched`);
    return [{ id, files: { stdout: entry.stdoutFile, stderr: entry.stderrFile }, finished: true }];
  };
}
