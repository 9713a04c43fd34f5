/**
 * A queue item's output for `taskwarden/output/follow` (`taskwarden logs queue:ID`):
 * queued (the files it will write, followed from their first line), running (its files
 * still grow) or finished (the files named in its history record); one that ended without
 * starting is refused with the reason it did not run.
 */
import type { OutputSources } from '../core/outputSources';
import { failure } from '../core/rpc';
import { ErrorCodes } from '../protocol/errors';
import type { QueuesPart } from './queuesPart';

export function queueOutputs(part: QueuesPart): OutputSources {
  return (id) => {
    const live = part.live.get(id);
    if (live && live.stdoutFile === null) {
      // Queued (or starting): its files are known ahead, so `logs queue:ID -f` waits for its first lines.
      const ahead = part.outputFiles(live);
      const files = { stdout: ahead.stdoutFile, stderr: ahead.stderrFile };
      const onFinished = (listener: () => void): (() => void) => {
        const stops = [part.whenEnded(id, () => listener()), part.whenRemoved(id, listener)];
        return () => stops.forEach((stop) => stop());
      };
      return [{ id, files, finished: false, onFinished }];
    }
    const record = live ?? part.store.lastOf(id);
    if (!record) return failure(ErrorCodes.NotFound, `no queue item '${id}'`);
    // It ended without a process (a command not found, a bad expansion or cwd, a failed dependency): the reason is its output.
    if (!live && record.timeStart === null)
      return failure(ErrorCodes.NotFound, `queue item '${id}' did not run${record.error === null ? '' : `: ${record.error}`}`);
    if (record.stdoutFile === null || record.stderrFile === null)
      return failure(ErrorCodes.NotFound, `queue item '${id}' has no output: it has not run`);
    const files = { stdout: record.stdoutFile, stderr: record.stderrFile };
    if (live) return [{ id, files, finished: false, onFinished: (listener) => part.whenEnded(id, () => listener()) }];
    return [{ id, files, finished: true }];
  };
}
