/**
 * The daemons' section of `taskwarden watch`: every instance, as `ps` shows it.
 */
import { formatTable } from '../../cli/output';
import type { LiveSection } from '../../core/part';
import { ListDaemonsRequest } from '../../protocol/daemons';
import { DAEMON_COLUMNS, daemonRow } from './ps';

export const daemonsLiveSection: LiveSection = {
  name: 'daemons',
  async read(connection) {
    const list = await connection.sendRequest(ListDaemonsRequest.type, {});
    const instances = list.tasks.flatMap((task) => task.instances);
    const now = Date.now();
    const lines =
      instances.length === 0
        ? []
        : formatTable(
            DAEMON_COLUMNS,
            instances.map((instance) => daemonRow(instance, now)),
          );
    return { lines, data: list };
  },
};
