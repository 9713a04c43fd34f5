/**
 * The tables of the groups part. `group_state` holds one row per group the
 * agent has run: whether a user stopped it, its live params (as of the last
 * round's end or a reload of the file, and the file text they came from, so an
 * edit made while no agent ran is seen), its round count, each tasklet's
 * status, and its runner's run record for adoption. `group_rounds` is the
 * history, bounded per group by `groups.history`. Times are ms since the epoch.
 */
import type { Migration } from '../store/migration';

export const groupsMigration: Migration = {
  version: 12,
  name: 'groups',
  sql: `
    CREATE TABLE group_state (
      name TEXT PRIMARY KEY,
      stopped INTEGER NOT NULL DEFAULT 0,
      params TEXT,
      params_at INTEGER,
      params_text TEXT,
      rounds INTEGER NOT NULL DEFAULT 0,
      last_round_at INTEGER,
      tasklets TEXT NOT NULL DEFAULT '[]',
      run TEXT
    ) WITHOUT ROWID;

    CREATE TABLE group_rounds (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      round INTEGER NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX group_rounds_name ON group_rounds (name, seq);
  `,
};
