/**
 * The store's own migrations (the agent's bookkeeping). Each part brings its
 * tables in its own module (`PartModule.migrations`); openDatabase applies both.
 */
import type { Migration } from '../migration';
import { foundation } from './0001_foundation';

export const FOUNDATION_MIGRATIONS: readonly Migration[] = [foundation];
