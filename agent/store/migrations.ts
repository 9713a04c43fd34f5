/**
 * Schema migrations, applied in order, each once, each in its own transaction.
 * A part adds its tables by appending a migration here; never edit a shipped one.
 */

export interface Migration {
  /** Strictly increasing; recorded in `schema_migrations`. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
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
  },
];
