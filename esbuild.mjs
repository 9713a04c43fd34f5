// Builds the two bundles: dist/taskwarden.js (the CLI and the agent, run on the
// system's Node) and dist/extension.js (loaded by VS Code). better-sqlite3's
// compiled addon is copied next to the agent bundle and loaded from there.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, chmodSync, renameSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSpawner } from './scripts/build-spawner.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const watch = process.argv.includes('--watch');

mkdirSync('dist', { recursive: true });
const addon = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
installAtomically(addon, 'dist/better_sqlite3.node');
buildSpawner({ installAtomically });

/**
 * Puts a compiled file in place without ever rewriting the one running agents
 * have mapped: overwriting a loaded shared object in place (copyFileSync
 * truncates it) crashes every process using it, so an unchanged file is left
 * alone and a changed one is written next to it and renamed over it (a new
 * inode; running processes keep the old one).
 */
function installAtomically(source, target) {
  if (existsSync(target) && readFileSync(source).equals(readFileSync(target))) return;
  const temporary = `${target}.${process.pid}.tmp`;
  copyFileSync(source, temporary);
  renameSync(temporary, target);
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __TASKWARDEN_VERSION__: JSON.stringify(pkg.version) },
};

const builds = [
  { ...common, entryPoints: ['agent/cli/main.ts'], outfile: 'dist/taskwarden.js', external: ['bindings'] },
  { ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync('dist/taskwarden.js', 0o755);
}
