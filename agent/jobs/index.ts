/**
 * The Jobs part: Canopsis' scheduled jobs, routed to typed handlers that
 * return a Nagios state, each run stored as a check event (`taskwarden job …`,
 * `taskwarden/jobs/*`).
 */
import type { PartModule } from '../core/part';
import { registerJobCommands } from './cli/commands';
import { jobsLiveSection } from './cli/liveSection';
import { jobsSection, type JobsConfig } from './config/jobsConfig';
import { jobLanguageContribution } from './languageContribution';
import { jobLeftovers } from './leftovers';
import { jobsMigration } from './migrations';
import { jobOutputs } from './outputSources';
import { registerJobHandlers } from './rpcHandlers';
import { JobsPart } from './jobsPart';
import { jobNames } from './cli/jobNames';

export const jobsModule: PartModule<JobsPart, JobsConfig> = {
  name: 'jobs',
  config: jobsSection,
  migrations: [jobsMigration],
  create: (context) => new JobsPart(context),
  handlers: registerJobHandlers,
  runs: { kind: 'job', logs: { prefix: 'job', spelling: 'job:NAME (see taskwarden job list)' } },
  leftovers: jobLeftovers,
  runIds: jobNames,
  outputs: jobOutputs,
  commands: registerJobCommands,
  live: jobsLiveSection,
  language: (part) =>
    jobLanguageContribution(
      (name) => {
        const job = part.jobs.get(name);
        return job ? { summary: part.summary(job), schedule: job.config.schedule } : null;
      },
      () => part.now(),
      () => part.userHandlersRoot(),
    ),
};
