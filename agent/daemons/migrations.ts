/**
 * The tables of the daemons part (migration 2).
 *
 * `daemon_instances` holds one row per instance (`task:instance`) the agent
 * supervises: the live process (pid + start time, so the next agent can adopt
 * it), what it was made from (the spec fingerprint), and the state a restart of
 * the agent must not forget (restart count, a user's stop, a crash loop, a
 * finished `once` run, how far the ready probe read the output). Rows are
 * deleted when the agent stops its processes (`taskwarden down`).
 *
 * `daemon_exits` is a short history of how processes ended.
 */
import type { Migration } from '../store/migration';

export const daemonsMigration: Migration = {
  version: 2,
  name: 'daemons',
  sql: `
    CREATE TABLE daemon_instances (
      id TEXT PRIMARY KEY,
      task TEXT NOT NULL,
      instance INTEGER NOT NULL,
      pid INTEGER,
      start_time INTEGER,
      started_at INTEGER,
      fingerprint TEXT,
      ready INTEGER NOT NULL DEFAULT 0,
      restarts INTEGER NOT NULL DEFAULT 0,
      hold TEXT CHECK (hold IN ('user', 'crashloop')),
      completed_at INTEGER,
      last_exit_code INTEGER,
      last_exit_signal TEXT,
      last_exit_at INTEGER,
      last_exit_reason TEXT,
      out_offset INTEGER NOT NULL DEFAULT 0,
      err_offset INTEGER NOT NULL DEFAULT 0,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE daemon_exits (
      id INTEGER PRIMARY KEY,
      daemon TEXT NOT NULL,
      pid INTEGER,
      started_at INTEGER,
      exited_at INTEGER NOT NULL,
      code INTEGER,
      signal TEXT,
      reason TEXT
    );
    CREATE INDEX daemon_exits_by_daemon ON daemon_exits (daemon, id);
  `,
};
