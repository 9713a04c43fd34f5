/** Migration 1: the agent's own bookkeeping. */
import type { Migration } from '../migration';

export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  sql: `
    CREATE TABLE agent_runs (
      id INTEGER PRIMARY KEY,
      pid INTEGER NOT NULL,
      started_at INTEGER NOT NULL,
      stopped_at INTEGER,
      version TEXT NOT NULL
    );
    CREATE TABLE kv (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
