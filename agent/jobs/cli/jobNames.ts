/** The job names a running agent knows, for shell completion. */
import type { MessageConnection } from 'vscode-jsonrpc';
import { ListJobsRequest } from '../protocol';

export async function jobNames(connection: MessageConnection): Promise<readonly string[]> {
  return (await connection.sendRequest(ListJobsRequest.type, {})).jobs.map((job) => job.name);
}
