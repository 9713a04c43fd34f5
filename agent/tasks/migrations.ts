/**
 * The tables of the tasks part (migration 3: taskwatcher's `tasks` and `history`).
 *
 * `tasks` holds what is alive: reservations and running tasks, with what an agent
 * restart needs to adopt a running one (pid + start time, the feedback resume point).
 * It has no index beyond its key: the agent keeps these rows in memory and only
 * writes them (every index is one more page written per launch). `task_history`
 * holds finished tasks, keyed by the task id so a task can never be recorded
 * twice. Times are milliseconds since the epoch.
 */
import type { Migration } from '../store/migration';

export const tasksMigration: Migration = {
  version: 3,
  name: 'tasks',
  sql: `
    CREATE TABLE tasks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      status TEXT NOT NULL CHECK (status IN ('RESERVED', 'RUNNING', 'SILENT', 'STALLED')),
      name TEXT,
      is_unique INTEGER NOT NULL DEFAULT 0,
      info1 TEXT,
      info2 TEXT,
      info3 TEXT,
      reserved_at INTEGER NOT NULL,
      expires_at INTEGER,
      argv TEXT,
      cwd TEXT,
      pid INTEGER,
      start_ticks INTEGER,
      started_at INTEGER,
      timeout_ms INTEGER,
      stdout_file TEXT,
      stderr_file TEXT,
      feedback_file TEXT,
      keep_feedback INTEGER NOT NULL DEFAULT 0,
      last_update_at INTEGER,
      feedback_json TEXT,
      feedback_offset INTEGER,
      feedback_inode TEXT,
      feedback_mtime REAL
    );

    CREATE TABLE task_history (
      id INTEGER PRIMARY KEY,
      name TEXT,
      info1 TEXT,
      info2 TEXT,
      info3 TEXT,
      argv TEXT NOT NULL,
      pid INTEGER,
      outcome TEXT NOT NULL CHECK (outcome IN ('exited', 'signaled', 'killed', 'timeout', 'unknown')),
      exit_code INTEGER,
      signal TEXT,
      error TEXT,
      started_at INTEGER NOT NULL,
      ended_at INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      feedback_json TEXT,
      stdout_file TEXT,
      stderr_file TEXT
    );
    CREATE INDEX task_history_by_name ON task_history (name);
    CREATE INDEX task_history_by_end ON task_history (ended_at);
  `,
};
