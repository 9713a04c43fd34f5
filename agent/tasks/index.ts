/**
 * The Tasks part: taskwatcher's reserved, heartbeat-watched tasks, launched
 * and tracked by the agent (`taskwarden task …`, `taskwarden/tasks/*`).
 */
import type { PartModule } from '../core/part';
import { registerTaskCommands } from './cli/commands';
import { tasksLiveSection } from './cli/liveSection';
import { taskLeftovers } from './leftovers';
import { tasksMigration } from './migrations';
import { taskOutputs } from './outputSources';
import { registerTaskHandlers } from './rpcHandlers';
import { tasksSection, type WatcherSettings } from './config/watcherSettings';
import { TasksPart } from './tasksPart';
import { taskIds } from './cli/taskIds';

export const tasksModule: PartModule<TasksPart, WatcherSettings> = {
  name: 'tasks',
  config: tasksSection,
  migrations: [tasksMigration],
  create: (context) => new TasksPart(context),
  handlers: registerTaskHandlers,
  runs: {
    kind: 'task',
    logs: { prefix: 'task', spelling: 'task:ID, ID a number (see taskwarden task list)', valid: (id) => /^\d+$/.test(id) },
  },
  leftovers: taskLeftovers,
  runIds: taskIds,
  outputs: taskOutputs,
  commands: registerTaskCommands,
  live: tasksLiveSection,
};
