/**
 * The one list of the extension's parts: each brings its view (with its
 * commands and output) from its own folder, and its name is the topic of the
 * agent's changes that view follows.
 */
import { createDaemonsView } from './daemons/daemonsView';
import { createGroupsView } from './groups/groupsView';
import { createJobsView } from './jobs/jobsView';
import { createQueuesView } from './queues/queuesView';
import type { ExtensionPart } from './shared/registerViews';
import { createTasksView } from './tasks/tasksView';

export const EXTENSION_PARTS: readonly ExtensionPart[] = [
  { name: 'daemons', createView: createDaemonsView },
  { name: 'tasks', createView: createTasksView },
  { name: 'groups', createView: createGroupsView },
  { name: 'jobs', createView: createJobsView },
  { name: 'queues', createView: createQueuesView },
];
