/** How the Tasks part's runs are named outside the agent: `task:ID` (`taskwarden logs task:7`). */
import type { RunNaming } from '../core/part';

export const taskRunNaming: RunNaming = {
  kind: 'task',
  logs: { prefix: 'task', spelling: 'task:ID, ID a number (see taskwarden task list)', valid: (id) => /^\d+$/.test(id) },
};
