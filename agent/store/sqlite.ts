/**
 * Opens a better-sqlite3 handle, using the compiled addon shipped next to the
 * agent bundle when there is one (dist/better_sqlite3.node), so the bundle runs
 * without a node_modules folder.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';

let shippedBinding: string | null | undefined;

function nativeBinding(): string | null {
  if (shippedBinding === undefined) {
    const candidate = path.join(__dirname, 'better_sqlite3.node');
    shippedBinding = fs.existsSync(candidate) ? candidate : null;
  }
  return shippedBinding;
}

export function openSqlite(file: string): Database.Database {
  const binding = nativeBinding();
  return new Database(file, binding ? { nativeBinding: binding } : {});
}
