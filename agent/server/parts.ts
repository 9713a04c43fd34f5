/**
 * The parts the agent runs. Each later part adds its factory here.
 */
import { createDaemonsPart } from '../daemons';
import { createTasksPart } from '../tasks';
import type { PartFactory } from './part';

export const PART_FACTORIES: readonly PartFactory[] = [createDaemonsPart, createTasksPart];
