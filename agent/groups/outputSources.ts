/**
 * A group's runner output for `taskwarden/output/follow` (`taskwarden logs
 * group:NAME`): one pair of files per group that every runner of it appends to
 * (the tasklets' `ctx.log` lines, failures, reloads), followed while the group exists.
 */
import type { OutputSources } from '../core/outputSources';
import { failure } from '../core/rpc';
import { ErrorCodes } from '../protocol/errors';
import type { GroupsPart } from './groupsPart';

export function groupOutputs(part: GroupsPart): OutputSources {
  return (id) => {
    if (!part.groups.has(id)) {
      const known = [...part.groups.keys()];
      return failure(ErrorCodes.NotFound, `no group '${id}' (groups: ${known.length > 0 ? known.join(', ') : 'none'})`);
    }
    return [{ id, files: part.outputFiles(id), finished: false }];
  };
}
