/**
 * The parts the agent runs. Each later part adds its factory here.
 */
import type { PartFactory } from './part';

export const PART_FACTORIES: readonly PartFactory[] = [];
