/**
 * The Queues part: process-queue's FIFO command queues, persisted and run by
 * the agent (`taskwarden queue …`, `taskwarden/queues/*`).
 */
import type { PartModule } from '../core/part';
import { registerQueueCommands } from './cli/commands';
import { queuesLiveSection } from './cli/liveSection';
import { queuesSection, type QueuesConfig } from './config/queuesConfig';
import { queueLanguageContribution } from './languageContribution';
import { queueLeftovers } from './leftovers';
import { queuesMigration } from './migrations';
import { queueOutputs } from './outputSources';
import { registerQueueHandlers } from './rpcHandlers';
import { QueuesPart } from './queuesPart';
import { queueItemIds } from './cli/queueNames';

export const queuesModule: PartModule<QueuesPart, QueuesConfig> = {
  name: 'queues',
  config: queuesSection,
  migrations: [queuesMigration],
  create: (context) => new QueuesPart(context),
  handlers: registerQueueHandlers,
  runs: { kind: 'queue item', logs: { prefix: 'queue', spelling: 'queue:ID (see taskwarden queue list)' } },
  leftovers: queueLeftovers,
  runIds: queueItemIds,
  outputs: queueOutputs,
  commands: registerQueueCommands,
  live: queuesLiveSection,
  language: (part) => queueLanguageContribution((name) => part.summaries().find((queue) => queue.name === name) ?? null),
};
