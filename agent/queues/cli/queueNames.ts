/** Queue names and the ids of queued and running items, from a running agent, for shell completion. */
import type { MessageConnection } from 'vscode-jsonrpc';
import { ListQueuesRequest, QueueItemsRequest } from '../protocol';

export async function queueNames(connection: MessageConnection): Promise<readonly string[]> {
  return (await connection.sendRequest(ListQueuesRequest.type, {})).queues.map((queue) => queue.name);
}

export async function queueItemIds(connection: MessageConnection): Promise<readonly string[]> {
  return (await connection.sendRequest(QueueItemsRequest.type, {})).items.map((item) => item.id);
}
