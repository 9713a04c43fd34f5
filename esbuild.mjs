// Builds the bundles: dist/taskwarden.js (the CLI, run on the system's Node),
// next to it dist/agent.js and dist/configLoader.js (loaded by the CLI's `agent`
// and `check` commands only, see SIBLING_BUNDLES), and dist/extension.js (loaded
// by VS Code). better-sqlite3's compiled addon is copied next to the agent
// bundle and loaded from there.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, chmodSync, renameSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSpawner } from './scripts/build-spawner.mjs';
import { writeValidator } from './scripts/generate-schema-validator.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const watch = process.argv.includes('--watch');

mkdirSync('dist', { recursive: true });
const addon = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
installAtomically(addon, 'dist/better_sqlite3.node');
buildSpawner({ installAtomically });
// The config's JSON Schemas, compiled to the validator module the agent imports.
writeValidator();

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
  // Less to read and parse at every start (CLI ~3 ms, agent ~15 ms, and the
  // agent keeps its source in memory); names stay, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  define: { __TASKWARDEN_VERSION__: JSON.stringify(pkg.version) },
};

/**
 * Every CLI command pays for parsing and running its bundle at start-up, so the
 * heavy code only some commands need is in bundles of their own, next to the
 * CLI's: the CLI source imports each of these modules dynamically, and in the
 * CLI bundle that import becomes a require of the sibling file.
 */
const SIBLING_BUNDLES = {
  // `taskwarden agent`: the server, SQLite, the language server, every part.
  'agent/server/main.ts': 'dist/agent.js',
  // `taskwarden check`: YAML, the schema validator and the parts' config checks.
  'agent/workspaceConfig.ts': 'dist/configLoader.js',
};

/** The part faces each sibling bundle runs (see keepPartFaces). */
const SIBLING_FACES = {
  'agent/server/main.ts': ['config', 'runtime'],
  'agent/workspaceConfig.ts': ['config'],
};

const siblingBundles = {
  name: 'sibling-bundles',
  setup(build) {
    const targets = new Map(
      Object.entries(SIBLING_BUNDLES).map(([entry, outfile]) => [path.resolve(entry.replace(/\.ts$/, '')), `./${path.basename(outfile)}`]),
    );
    build.onResolve({ filter: /^\./ }, (args) => {
      const target = targets.get(path.resolve(args.resolveDir, args.path).replace(/\.ts$/, ''));
      return target ? { path: target, external: true } : undefined;
    });
  },
};

/**
 * A part's folder holds code for three places (agent/core/part.ts): its `cli/`
 * folder runs in the command line, its `config/` folder wherever the config is
 * checked, the rest in the agent; its `protocol/` (its messages) everywhere. Each bundle keeps the faces it runs; where a
 * part's index.ts imports another face, the bundle gets a stand-in whose every
 * export throws if called. So the CLI starts without parsing the agent's code,
 * `check` without the agent's runtime, and the agent does not carry commander.
 */
const PART_INDEX = /[\\/]agent[\\/][a-z]+[\\/]index\.ts$/;
function faceOf(importPath) {
  if (importPath === './protocol' || importPath.startsWith('./protocol/')) return 'protocol';
  if (importPath.startsWith('./cli/')) return 'cli';
  if (importPath.startsWith('./config/')) return 'config';
  return 'runtime';
}
function keepPartFaces(...faces) {
  return {
    name: `keep-part-faces-${faces.join('-')}`,
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const face = faceOf(args.path);
        if (!PART_INDEX.test(args.importer) || face === 'protocol' || faces.includes(face)) return undefined;
        return { path: path.resolve(args.resolveDir, args.path), namespace: 'other-face' };
      });
      build.onLoad({ filter: /.*/, namespace: 'other-face' }, (args) => {
        const message = `${path.relative('.', args.path)} is not in this bundle (it holds a part's ${faces.join(' and ')} code)`;
        return {
          contents: `module.exports = new Proxy({}, { get: (_, name) => name === '__esModule' ? undefined : () => { throw new Error(${JSON.stringify(message)}); } });`,
          loader: 'js',
        };
      });
    },
  };
}

const builds = [
  // Dynamic imports become plain requires: the sibling bundles are CommonJS.
  {
    ...common,
    entryPoints: ['agent/taskwarden.ts'],
    outfile: 'dist/taskwarden.js',
    plugins: [siblingBundles, keepPartFaces('cli')],
    supported: { 'dynamic-import': false },
  },
  ...Object.entries(SIBLING_BUNDLES).map(([entry, outfile]) => ({
    ...common,
    entryPoints: [entry],
    outfile,
    external: ['bindings'],
    plugins: [keepPartFaces(...SIBLING_FACES[entry])],
  })),
  { ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // A process group's runner (agent/groups/runner/), started by the agent once per group; also its watchdog thread.
  { ...common, entryPoints: ['agent/groups/runner/main.ts'], outfile: 'dist/groupRunner.js' },
  { ...common, entryPoints: ['agent/jobs/runner/main.ts'], outfile: 'dist/jobHandlerRunner.js' },
  // The dashboard's page script (extension/dashboard/page/), run in the webview: a browser bundle with uPlot inside.
  {
    ...common,
    entryPoints: ['extension/dashboard/page/main.ts'],
    outfile: 'dist/dashboard/dashboard.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// The dashboard page's styles and the codicon font, next to its script (the webview's only local resource root).
mkdirSync('dist/dashboard', { recursive: true });
for (const [source, target] of [
  ['extension/dashboard/page/dashboard.css', 'dashboard.css'],
  [require.resolve('uplot/dist/uPlot.min.css'), 'uPlot.min.css'],
  [require.resolve('@vscode/codicons/dist/codicon.css'), 'codicon.css'],
  [require.resolve('@vscode/codicons/dist/codicon.ttf'), 'codicon.ttf'],
]) {
  copyFileSync(source, path.join('dist/dashboard', target));
}

// User TypeScript (tasklets) is compiled at load by esbuild's own binary (agent/userCode/typeScriptCompiler.ts):
// the packaged extension has no node_modules, so the binary goes next to the bundles.
installAtomically(
  path.join(path.dirname(require.resolve(`@esbuild/${process.platform}-${process.arch}/package.json`)), 'bin', 'esbuild'),
  'dist/esbuild',
);
chmodSync('dist/esbuild', 0o755);
// The Python tasklet runner, a script of its own.
installAtomically('agent/groups/runner/python/groupRunner.py', 'dist/groupRunner.py');

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync('dist/taskwarden.js', 0o755);
}
