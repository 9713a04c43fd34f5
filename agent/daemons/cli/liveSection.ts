/**
 * The daemons' section of `taskwarden watch`: every instance, as `ps` shows it.
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import { formatTable } from '../../cli/output';
import { ListDaemonsRequest } from '../../protocol/daemons';
import { DAEMON_COLUMNS, daemonRow } from './ps';

export async function daemonsLiveSection(connection: MessageConnection): Promise<string[]> {
  const list = await connection.sendRequest(ListDaemonsRequest.type, {});
  const instances = list.tasks.flatMap((task) => task.instances);
  if (instances.length === 0) return [];
  const now = Date.now();
  return formatTable(
    DAEMON_COLUMNS,
    instances.map((instance) => daemonRow(instance, now)),
  );
}
