/**
 * A store schema migration. The foundation's are in agent/store/migrations/,
 * each part's in its own folder; the store applies every one not yet recorded,
 * in version order, each once, each in its own transaction. Never edit a
 * shipped one: append a new one with the next free version.
 */
export interface Migration {
  /** Unique across the foundation and every part; recorded in `schema_migrations`. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
