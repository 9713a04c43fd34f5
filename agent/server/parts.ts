/**
 * The parts the agent runs. Each later part adds its factory here.
 */
import { createDaemonsPart } from '../daemons';
import { daemonLeftovers } from '../daemons/leftovers';
import { createTasksPart } from '../tasks';
import { taskLeftovers } from '../tasks/leftovers';
import type { LeftoverFinder, PartFactory } from './part';

export const PART_FACTORIES: readonly PartFactory[] = [createDaemonsPart, createTasksPart];

/** What each part knows of the processes a crashed agent left (`taskwarden down` with no agent). */
export const PART_LEFTOVERS: readonly LeftoverFinder[] = [daemonLeftovers, taskLeftovers];
