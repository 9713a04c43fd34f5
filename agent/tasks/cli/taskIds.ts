/** The task ids a running agent knows (reserved and running, then the recent history), for shell completion. */
import type { MessageConnection } from 'vscode-jsonrpc';
import { ListTasksRequest, TaskHistoryRequest } from '../protocol';

/** How many finished tasks completion offers besides the live ones. */
const RECENT_HISTORY = 20;

export async function taskIds(connection: MessageConnection): Promise<readonly string[]> {
  const [live, history] = await Promise.all([
    connection.sendRequest(ListTasksRequest.type, {}),
    connection.sendRequest(TaskHistoryRequest.type, { limit: RECENT_HISTORY }),
  ]);
  return [...new Set([...live.tasks.map((task) => task.id), ...history.entries.map((entry) => entry.id)])].map(String);
}
