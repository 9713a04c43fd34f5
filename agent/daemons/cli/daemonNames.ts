/** The daemon names a running agent knows, for shell completion (tasks, `task:instance`, those that do not run here). */
import type { MessageConnection } from 'vscode-jsonrpc';
import { ListDaemonsRequest } from '../protocol';

export async function daemonNames(connection: MessageConnection): Promise<readonly string[]> {
  const list = await connection.sendRequest(ListDaemonsRequest.type, {});
  return [
    ...list.tasks.flatMap((task) => [task.name, ...(task.instances.length > 1 ? task.instances.map((instance) => instance.id) : [])]),
    ...list.skipped.map((skipped) => skipped.name),
  ];
}

/** What start/stop/restart/reset take: the daemon names and `all`. */
export async function daemonTargets(connection: MessageConnection): Promise<readonly string[]> {
  return ['all', ...(await daemonNames(connection))];
}
