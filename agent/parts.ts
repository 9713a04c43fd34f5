/**
 * The one list of parts. The agent builds them, the store applies their
 * migrations, and the command line registers their commands and `watch`
 * sections from it; adding a part is one line here (and one in
 * extension/parts.ts).
 */
import type { PartModule } from './core/part';
import { daemonsModule } from './daemons';
import { groupsModule } from './groups';
import { jobsModule } from './jobs';
import { queuesModule } from './queues';
import { tasksModule } from './tasks';

export const PARTS: readonly PartModule[] = [daemonsModule, tasksModule, groupsModule, queuesModule, jobsModule];
