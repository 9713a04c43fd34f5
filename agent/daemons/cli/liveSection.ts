/**
 * The daemons' section of `taskwarden watch`: every instance, as `ps` shows it
 * (with CPU and memory: the agent samples while `watch` runs).
 */
import { formatTable } from '../../cli/output';
import type { LiveSection } from '../../core/part';
import { ListDaemonsRequest } from '../protocol';
import { WatchResourcesRequest } from '../../protocol/resources';
import { DAEMON_COLUMNS, daemonRow } from './ps';

export const daemonsLiveSection: LiveSection = {
  name: 'daemons',
  async read(connection) {
    // Watching is per connection: the first read starts the sampling, later ones return at once.
    await connection.sendRequest(WatchResourcesRequest.type, {});
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
