/**
 * The Process groups part: PyLabs' process handler. Each sub-folder of the
 * groups root is a group whose runner process calls its tasklets every
 * interval (`taskwarden group …`, `taskwarden/groups/*`).
 */
import type { PartModule } from '../core/part';
import { registerGroupCommands } from './cli/commands';
import { groupsLiveSection } from './cli/liveSection';
import { groupsSection, type GroupsConfig } from './config/groupsConfig';
import { groupsLanguageContribution } from './languageContribution';
import { groupLeftovers } from './leftovers';
import { groupsMigration, packedRoundsMigration } from './migrations';
import { groupOutputs } from './outputSources';
import { registerGroupHandlers } from './rpcHandlers';
import { GroupsPart } from './groupsPart';
import { groupNames } from './cli/groupNames';

export const groupsModule: PartModule<GroupsPart, GroupsConfig> = {
  name: 'groups',
  config: groupsSection,
  migrations: [groupsMigration, packedRoundsMigration],
  create: (context) => new GroupsPart(context),
  handlers: registerGroupHandlers,
  runs: { kind: 'group runner', logs: { prefix: 'group', spelling: 'group:NAME (see taskwarden group list)' } },
  leftovers: groupLeftovers,
  runIds: groupNames,
  outputs: groupOutputs,
  commands: registerGroupCommands,
  live: groupsLiveSection,
  language: (part) => groupsLanguageContribution(() => part.summaries()),
};
