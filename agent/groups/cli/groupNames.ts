/** The process group names a running agent knows, for shell completion. */
import type { MessageConnection } from 'vscode-jsonrpc';
import { ListGroupsRequest } from '../protocol';

export async function groupNames(connection: MessageConnection): Promise<readonly string[]> {
  return (await connection.sendRequest(ListGroupsRequest.type, {})).groups.map((group) => group.name);
}
