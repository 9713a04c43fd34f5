/**
 * "Show Task Output": a channel per task (extension/shared/runOutputs.ts),
 * like a daemon's: its recent lines, then its live ones until it ends (a
 * finished task's are read back from its files), stderr marked, and notes when
 * its state changes and how it ended.
 */
import type { AgentApi } from '../shared/agentApi';
import { RunOutputs } from '../shared/runOutputs';
import { describeEnd } from './taskFormat';
import type { TasksModel } from './tasksModel';

/** The words of a state note: a running task's state and pid, a finished one's end. */
function stateWords(model: TasksModel, id: number): string | null {
  const live = model.task(id);
  if (live) return `task ${id} ${live.state.toLowerCase()}${live.pid === null ? '' : `, pid ${live.pid}`}`;
  const entry = model.historyEntry(id);
  if (entry) return `task ${id} ended: ${describeEnd(entry)}${entry.error ? `, ${entry.error}` : ''}`;
  return null;
}

/** The task output channels of this window, by task id. */
export type TaskOutputs = RunOutputs<number>;

export function createTaskOutputs(agent: AgentApi, model: TasksModel): TaskOutputs {
  return new RunOutputs(agent, {
    part: 'tasks',
    keyPrefix: 'task',
    title: (id) => `task ${id}`,
    stateWords: (id) => stateWords(model, id),
    onChange: (listener) => model.onChange(() => listener()),
  });
}
