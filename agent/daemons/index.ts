/**
 * The Daemons part: keeps the `tasks` of taskwarden.yaml running, taskforce
 * style (`taskwarden ps/start/stop/restart/reset`, `taskwarden/daemons/*`).
 */
import type { PartModule } from '../core/part';
import { registerDaemonCommands } from './cli/commands';
import { daemonsLiveSection } from './cli/liveSection';
import { daemonsSection, type DaemonsSection } from './config/section';
import { DaemonsPart } from './daemonsPart';
import { daemonLanguageContribution } from './languageContribution';
import { daemonsMigration } from './migrations';
import { daemonLeftovers } from './leftovers';
import { lookup, registerDaemonHandlers } from './rpcHandlers';
import { daemonNames } from './cli/daemonNames';

export const daemonsModule: PartModule<DaemonsPart, DaemonsSection> = {
  name: 'daemons',
  config: daemonsSection,
  migrations: [daemonsMigration],
  create: (context) => new DaemonsPart(context),
  handlers: registerDaemonHandlers,
  runs: { kind: 'daemon', logs: { prefix: 'daemon', spelling: 'NAME[:instance] or daemon:NAME[:instance]', bare: true } },
  leftovers: daemonLeftovers,
  runIds: daemonNames,
  language: (part) => daemonLanguageContribution({ task: (name) => part.task(name), skipped: (name) => part.skippedTask(name) }),
  outputs: (part) => (id) => {
    const instances = lookup(part, id);
    return Array.isArray(instances)
      ? instances.map((instance) => ({
          id: instance.id,
          files: instance.files,
          finished: false,
          restarts: () => part.restartsOf(instance),
        }))
      : instances;
  },
  commands: registerDaemonCommands,
  live: daemonsLiveSection,
};
