/** Migration 3: the tables of the tasks part (written by that part). */
import type { Migration } from './index';

export const tasks: Migration = {
  version: 3,
  name: 'tasks',
  sql: `SELECT 1;`,
};
