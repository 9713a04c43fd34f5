/** Migration 2: the tables of the daemons part (written by that part). */
import type { Migration } from './index';

export const daemons: Migration = {
  version: 2,
  name: 'daemons',
  sql: `SELECT 1;`,
};
