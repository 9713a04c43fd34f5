/**
 * A job's command output for `taskwarden/output/follow` (`taskwarden logs
 * job:NAME [-f]`): the files of its current run while it runs, else of its
 * last one (each run empties them).
 */
import * as fs from 'node:fs';
import type { OutputSources } from '../core/outputSources';
import { failure } from '../core/rpc';
import { ErrorCodes } from '../protocol/errors';
import type { JobsPart } from './jobsPart';

export function jobOutputs(part: JobsPart): OutputSources {
  return (id) => {
    const job = part.jobs.get(id);
    if (!job) return part.notFound(id);
    const files = part.filesOf(id);
    const process = job.running?.process ?? null;
    if (process !== null) return [{ id, files, finished: false, onFinished: (listener) => part.whenFinished(id, listener) }];
    if (!fs.existsSync(files.stdout))
      return failure(ErrorCodes.NotFound, `job '${id}' has no output: only command jobs have one, once they ran`);
    return [{ id, files, finished: true }];
  };
}
