/**
 * The tasks' section of `taskwarden watch`: reserved and running tasks, as
 * `task list` shows them.
 */
import { formatTable } from '../../cli/output';
import type { LiveSection } from '../../core/part';
import { ListTasksRequest } from '../protocol';
import { TASK_LIST_HEADER, taskRow } from './taskFormat';

export const tasksLiveSection: LiveSection = {
  name: 'tasks',
  async read(connection) {
    const list = await connection.sendRequest(ListTasksRequest.type, {});
    const lines =
      list.tasks.length === 0
        ? []
        : formatTable(
            TASK_LIST_HEADER,
            list.tasks.map((info) => taskRow(info, list.now)),
          );
    return { lines, data: list };
  },
};
