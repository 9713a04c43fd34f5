/**
 * "Show Job Output": a channel per job through the shared run output channels
 * (extension/shared/runOutputs.ts), following `job:NAME` through the one
 * `taskwarden/output/follow`: the output of its current run while it runs,
 * else of its last one, with a note when it starts and how each run ended.
 */
import { CHECK_STATE_NAMES, formatExecutionTime } from '../../agent/jobs/protocol';
import type { AgentApi } from '../shared/agentApi';
import { RunOutputs } from '../shared/runOutputs';
import type { JobsModel } from './jobsModel';

function stateWords(model: JobsModel, name: string): string | null {
  const job = model.job(name);
  if (!job) return null;
  if (job.runningSince !== null) return `job ${name} running`;
  if (job.last === null) return `job ${name} never ran`;
  return `job ${name} ${CHECK_STATE_NAMES[job.last.state]} in ${formatExecutionTime(job.last.execution_time)}: ${job.last.output}`;
}

/** The job output channels of this window, by job name. */
export type JobOutputs = RunOutputs<string>;

export function createJobOutputs(agent: AgentApi, model: JobsModel): JobOutputs {
  return new RunOutputs(agent, {
    part: 'jobs',
    keyPrefix: 'job',
    title: (name) => `job ${name}`,
    stateWords: (name) => stateWords(model, name),
    onChange: (listener) => model.onChange(listener),
  });
}
