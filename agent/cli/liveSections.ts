/**
 * Sections of `taskwarden watch` contributed by the parts (e.g. the daemons
 * table): each returns the lines to show.
 */
import { ListDaemonsRequest } from '../protocol/daemons';
import type { AgentConnection } from './agentClient';
import { DAEMON_COLUMNS, daemonRow } from './commands/ps';
import { formatTable } from './output';

export type LiveSection = (agent: AgentConnection) => Promise<string[]>;

/** The daemons, as `ps` shows them. */
const daemonsSection: LiveSection = async (agent) => {
  const list = await agent.connection.sendRequest(ListDaemonsRequest.type, {});
  const instances = list.tasks.flatMap((task) => task.instances);
  if (instances.length === 0) return [];
  const now = Date.now();
  return formatTable(
    DAEMON_COLUMNS,
    instances.map((instance) => daemonRow(instance, now)),
  );
};

export const LIVE_SECTIONS: LiveSection[] = [daemonsSection];
