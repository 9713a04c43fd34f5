/**
 * The jobs requests of agent/jobs/protocol/messages.ts, answered by the part.
 */
import { failure, type RpcRegistry } from '../core/rpc';
import { ErrorCodes } from '../protocol/errors';
import {
  JobEventsRequest,
  ListJobsRequest,
  NextJobRunsRequest,
  PauseJobRequest,
  ResumeJobRequest,
  RunJobRequest,
  type JobEventsParams,
  type NextJobRunsParams,
} from './protocol';
import type { JobsPart } from './jobsPart';
import { nextOccurrences } from './schedule/schedule';

function next(part: JobsPart, params: NextJobRunsParams) {
  const count = params.count ?? 5;
  if (!Number.isInteger(count) || count < 1 || count > 100)
    return failure(ErrorCodes.InvalidParams, 'count must be an integer from 1 to 100');
  const now = part.now();
  const jobs = params.name === undefined ? [...part.jobs.values()] : [part.jobs.get(params.name)];
  if (jobs[0] === undefined) return part.notFound(params.name!);
  return {
    now,
    jobs: jobs.map((job) => ({
      name: job!.config.name,
      scheduleText: job!.config.schedule.text,
      times: nextOccurrences(job!.config.schedule, now, count),
    })),
  };
}

function events(part: JobsPart, params: JobEventsParams) {
  const limit = params.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return failure(ErrorCodes.InvalidParams, 'limit must be an integer from 1 to 1000');
  const before = params.before === undefined ? null : Number(params.before);
  if (before !== null && !Number.isSafeInteger(before)) return failure(ErrorCodes.InvalidParams, `bad cursor '${params.before}'`);
  return part.store.events(params.name ?? null, limit, before);
}

export function registerJobHandlers(rpc: RpcRegistry, part: JobsPart): void {
  rpc.on(ListJobsRequest.type, () => ({ now: part.now(), jobs: part.summaries() }));
  rpc.on(RunJobRequest.type, (params) => part.runNow(params.name));
  rpc.on(NextJobRunsRequest.type, (params) => next(part, params));
  rpc.on(PauseJobRequest.type, (params) => part.setPaused(params.name, true));
  rpc.on(ResumeJobRequest.type, (params) => part.setPaused(params.name, false));
  rpc.on(JobEventsRequest.type, (params) => events(part, params));
}
