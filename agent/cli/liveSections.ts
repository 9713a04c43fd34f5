/**
 * Sections of `taskwarden watch` contributed by the parts (e.g. the daemons
 * table): each reads its state once per redraw and returns it as lines to show
 * and as data for `watch --json`.
 */
import { ListDaemonsRequest } from '../protocol/daemons';
import type { AgentConnection } from './agentClient';
import { DAEMON_COLUMNS, daemonRow } from './commands/ps';
import { formatTable } from './output';

export interface LiveSection {
  /** The key of its data in `watch --json`. */
  readonly name: string;
  read(agent: AgentConnection): Promise<{ readonly lines: string[]; readonly data: unknown }>;
}

/** The daemons, as `ps` shows them. */
const daemonsSection: LiveSection = {
  name: 'daemons',
  async read(agent) {
    const list = await agent.connection.sendRequest(ListDaemonsRequest.type, {});
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

export const LIVE_SECTIONS: readonly LiveSection[] = [daemonsSection];
