import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { migrate, openDatabase, schemaVersion } from '../../../agent/store/database';
import type { Migration } from '../../../agent/store/migration';
import { PARTS } from '../../../agent/parts';
import { FOUNDATION_MIGRATIONS } from '../../../agent/store/migrations/index';
import { ensureStateDirectory } from '../../../agent/store/stateDirectory';

const folders: string[] = [];
function tempFile(name = 'state.db'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-store-'));
  folders.push(dir);
  return path.join(dir, name);
}
afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the store', () => {
  it("applies the foundation's and every part's migrations to a new file and records each", () => {
    const partMigrations = PARTS.flatMap((part) => part.migrations);
    const db = openDatabase(tempFile(), { migrations: partMigrations });
    const recorded = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map(
      (row) => row.version,
    );
    const expected = [...FOUNDATION_MIGRATIONS, ...partMigrations].map((migration) => migration.version).sort((a, b) => a - b);
    assert.deepEqual(recorded, expected);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    for (const name of ['agent_runs', 'daemon_instances', 'tasks', 'task_history'])
      assert.ok(
        tables.some((table) => table.name === name),
        `table ${name}`,
      );
    db.close();
  });

  it('applies a part added later even when its version is below one already applied', () => {
    const file = tempFile();
    const late: Migration = { version: 150, name: 'late', sql: 'CREATE TABLE late (x INTEGER);' };
    const db = openDatabase(file, { migrations: [{ version: 200, name: 'early', sql: 'CREATE TABLE early (x INTEGER);' }] });
    assert.deepEqual(migrate(db, [late]), [150]);
    assert.deepEqual(migrate(db, [late]), []);
    db.close();
  });

  it('refuses two migrations with one version', () => {
    const db = openDatabase(tempFile());
    const twins: Migration[] = [
      { version: 300, name: 'a', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 300, name: 'b', sql: 'CREATE TABLE b (x INTEGER);' },
    ];
    assert.throws(() => migrate(db, twins), /two migrations have version 300/);
    db.close();
  });

  it('uses WAL with synchronous NORMAL and a busy timeout', () => {
    const db = openDatabase(tempFile());
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.ok(Number(db.pragma('busy_timeout', { simple: true })) >= 1000);
    db.close();
  });

  it('applies only the migrations newer than the file, once each', () => {
    const file = tempFile();
    const first: Migration[] = [{ version: 101, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' }];
    const db = openDatabase(file, { migrations: first });
    db.prepare('INSERT INTO a (x) VALUES (42)').run();
    const second = [...first, { version: 102, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y TEXT;' }];
    assert.deepEqual(migrate(db, second), [102]);
    assert.deepEqual(migrate(db, second), []);
    assert.deepEqual(db.prepare('SELECT x, y FROM a').get(), { x: 42, y: null });
    db.close();
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    const db = openDatabase(tempFile(), { migrations: [{ version: 101, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' }] });
    const broken: Migration = { version: 102, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' };
    assert.throws(() => migrate(db, [broken]), /no such table: nowhere/);
    assert.equal(schemaVersion(db), 101);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").all();
    assert.deepEqual(tables, []);
    db.close();
  });

  it('keeps the data of a reopened file', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO kv (key, value) VALUES ('k', 'v')").run();
    db.close();
    const reopened = openDatabase(file);
    assert.deepEqual(reopened.prepare('SELECT value FROM kv').get(), { value: 'v' });
    reopened.close();
  });

  it('creates the state folder with a .gitignore that ignores everything', () => {
    const workspace = path.dirname(tempFile());
    const paths = ensureStateDirectory(workspace);
    assert.equal(fs.readFileSync(path.join(paths.root, '.gitignore'), 'utf8'), '*\n');
    assert.ok(fs.statSync(paths.logs).isDirectory());
  });
});
