/**
 * The tasks' section of `taskwarden watch`: reserved and running tasks, as
 * `task list` shows them.
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import { formatTable } from '../../cli/output';
import { ListTasksRequest } from '../../protocol/tasks';
import { TASK_LIST_HEADER, taskRow } from './taskFormat';

export async function tasksLiveSection(connection: MessageConnection): Promise<string[]> {
  const list = await connection.sendRequest(ListTasksRequest.type, {});
  if (list.tasks.length === 0) return [];
  return formatTable(
    TASK_LIST_HEADER,
    list.tasks.map((info) => taskRow(info, list.now)),
  );
}
