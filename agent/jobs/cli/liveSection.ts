/**
 * The jobs' section of `taskwarden watch`: one line per job with its next run
 * and last verdict.
 */
import { formatTable } from '../../cli/output';
import type { LiveSection } from '../../core/part';
import { ListJobsRequest } from '../protocol';
import { JOB_HEADER, jobRow } from './jobFormat';

export const jobsLiveSection: LiveSection = {
  name: 'jobs',
  async read(connection) {
    const list = await connection.sendRequest(ListJobsRequest.type, {});
    const lines =
      list.jobs.length === 0
        ? []
        : formatTable(
            JOB_HEADER,
            list.jobs.map((job) => jobRow(job, list.now)),
          );
    return { lines, data: { jobs: list.jobs } };
  },
};
