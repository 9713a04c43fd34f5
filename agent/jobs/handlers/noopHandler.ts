/**
 * `noop`: answers at once with the state and output in its params (default OK).
 * A heartbeat job, and the handler the bench measures the scheduler with.
 */
import type { CheckState } from '../protocol';
import { NOOP_SCHEMA } from './builtinSchemas';
import type { JobHandler } from './handler';

export const noopHandler: JobHandler = {
  name: 'noop',
  schema: NOOP_SCHEMA,
  run: ({ job }) => {
    const state = (job.params.state ?? 0) as CheckState;
    const output = typeof job.params.output === 'string' ? job.params.output : 'OK';
    return Promise.resolve({ state, output });
  },
};
