/**
 * Opens the workspace's SQLite store with the settings the agent relies on and
 * brings its schema up to date.
 *
 * Durability choice: WAL with `synchronous = NORMAL`. In WAL mode NORMAL never
 * corrupts the database and loses no committed transaction when the *agent*
 * crashes (SIGKILL, OOM): the WAL is in the OS page cache and survives the
 * process. Only a power loss or kernel crash can roll back the last commits, and
 * that also kills every supervised process, whose rows are rebuilt on adoption.
 * FULL would fsync on every commit (a task launch writes several rows), a cost
 * paid on the hot path for a failure the supervisor cannot survive anyway.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migration';
import { FOUNDATION_MIGRATIONS } from './migrations/index';
import { openSqlite } from './sqlite';

export type Db = Database.Database;

export interface OpenStoreOptions {
  /** The parts' migrations, applied after the foundation's. */
  readonly migrations?: readonly Migration[];
  readonly busyTimeoutMs?: number;
}

export function openDatabase(file: string, options: OpenStoreOptions = {}): Db {
  const db = openSqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  migrate(db, [...FOUNDATION_MIGRATIONS, ...(options.migrations ?? [])]);
  return db;
}

/**
 * Applies, in version order, every migration not yet recorded; returns the
 * versions applied. Parts bring their own migrations, so a part added later
 * may bring a version below one already applied: membership decides, not the
 * highest version.
 */
export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const versions = migrations.map((migration) => migration.version);
  const duplicate = versions.find((version, index) => versions.indexOf(version) !== index);
  if (duplicate !== undefined) throw new Error(`two migrations have version ${duplicate}`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    immediate(db, () => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    });
    applied.push(migration.version);
  }
  return applied;
}

/** Runs `work` in a `BEGIN IMMEDIATE` transaction (takes the write lock up front). */
export function immediate<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/** The schema version recorded in the store. */
export function schemaVersion(db: Db): number {
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}
