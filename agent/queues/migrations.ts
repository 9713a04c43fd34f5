/**
 * The tables of the queues part. `queue_items` holds what is alive (queued and
 * running items), ordered by `pos` (a move gives an item a position between two
 * others); a running item carries what the next agent needs to adopt it (pid +
 * start ticks, output files). `queue_history` holds finished items, most recent
 * last; an id can come back (retry, push again) so it is not the key.
 * `queue_paused` lists paused queues. Times are milliseconds since the epoch.
 */
import type { Migration } from '../store/migration';

export const queuesMigration: Migration = {
  version: 11,
  name: 'queues',
  sql: `
    CREATE TABLE queue_items (
      id TEXT PRIMARY KEY,
      queue TEXT NOT NULL,
      pos REAL NOT NULL,
      state INTEGER NOT NULL CHECK (state IN (0, 1)),
      spec TEXT NOT NULL,
      time_queue INTEGER NOT NULL,
      run TEXT
    ) WITHOUT ROWID;

    CREATE TABLE queue_history (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL,
      queue TEXT NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX queue_history_queue ON queue_history (queue, seq);
    CREATE INDEX queue_history_id ON queue_history (id, seq);

    CREATE TABLE queue_paused (
      queue TEXT PRIMARY KEY
    ) WITHOUT ROWID;
  `,
};
