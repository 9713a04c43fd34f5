/**
 * Schema migrations, applied in order, each once, each in its own transaction.
 * A part adds its tables by appending a migration here; never edit a shipped one.
 */

import { foundation } from './0001_foundation';
import { daemons } from './0002_daemons';
import { tasks } from './0003_tasks';

export interface Migration {
  /** Strictly increasing; recorded in `schema_migrations`. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [foundation, daemons, tasks];
