/**
 * Locates the Taskwarden repo root, for paths that e2e tests share (node_modules/.bin, test-results).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above the working directory whose package.json is named `taskwarden`. */
export function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'taskwarden') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Taskwarden package.json at or above ${process.cwd()}`);
    dir = parent;
  }
}
