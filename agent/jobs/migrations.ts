/**
 * The tables of the jobs part. `job_state` holds each job's past as the
 * scheduler needs it across restarts: the occurrence its last scheduled run
 * covered (`last_due`), whether it ever ran, the skipped count, paused, and a
 * running command's process (pid + start ticks, files) for adoption.
 * `job_events` holds the check events (Canopsis' shape, JSON), most recent
 * last, trimmed to `settings.job_events_kept` per job.
 */
import type { Migration } from '../store/migration';

export const jobsMigration: Migration = {
  version: 13,
  name: 'jobs',
  sql: `
    CREATE TABLE job_state (
      name TEXT PRIMARY KEY,
      last_due INTEGER,
      ever_ran INTEGER NOT NULL DEFAULT 0,
      skipped INTEGER NOT NULL DEFAULT 0,
      paused INTEGER NOT NULL DEFAULT 0,
      running TEXT
    ) WITHOUT ROWID;

    CREATE TABLE job_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      job TEXT NOT NULL,
      event TEXT NOT NULL
    );
    CREATE INDEX job_events_job ON job_events (job, seq);
  `,
};
