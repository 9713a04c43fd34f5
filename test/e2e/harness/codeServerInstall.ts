/**
 * Installs code-server 4.96.4 (VS Code 1.96 in a browser) into a cache outside the repo, with the
 * manual steps from `notes/vscode-e2e.md`: its own postinstall fetches a dependency from a git host
 * that these machines cannot reach. The install takes over a minute, so it is done once per machine:
 * a marker file is written only after every step succeeded, and a lock directory keeps two test
 * processes from installing at the same time.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { withDirectoryLock } from './installLock';
import { runLogged } from './runLogged';

/** The code-server release that runs on Node 20 (later ones need Node 22+). */
export const CODE_SERVER_VERSION = '4.96.4';

const MARKER = '.taskwarden-e2e-complete';
const NATIVE_MODULES = ['@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog', 'native-watchdog', 'node-pty'];
const PROXY_AGENT_ENTRY = 'node_modules/@vscode/proxy-agent';

/**
 * The install folder: `$TASKWARDEN_E2E_CACHE` when set (used as is), otherwise
 * `${XDG_CACHE_HOME:-$HOME/.cache}/taskwarden-e2e/code-server-4.96.4`.
 */
export function codeServerCacheDir(): string {
  const fromEnv = process.env.TASKWARDEN_E2E_CACHE;
  if (fromEnv) return fromEnv;
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'taskwarden-e2e', `code-server-${CODE_SERVER_VERSION}`);
}

/** Path of code-server's Node entry point inside an install folder. */
function entryPath(dir: string): string {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function progress(line: string): void {
  process.stderr.write(`[e2e code-server] ${line}\n`);
}

let pending: Promise<string> | undefined;

/**
 * Makes sure code-server 4.96.4 is installed in {@link codeServerCacheDir} and resolves with the
 * path of its `out/node/entry.js`, to be run with the same Node as the tests. Fast when the cache
 * is complete; otherwise (re)installs it (about 70 s), printing progress lines to stderr.
 */
export function ensureCodeServer(): Promise<string> {
  pending ??= ensureCodeServerOnce().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function ensureCodeServerOnce(): Promise<string> {
  const dir = codeServerCacheDir();
  if (existsSync(join(dir, MARKER))) return entryPath(dir);
  mkdirSync(dirname(dir), { recursive: true });
  return withDirectoryLock(
    `${dir}.lock`,
    15 * 60_000,
    () => progress(`another process is installing into ${dir}; waiting for it`),
    async () => {
      // Whoever held the lock before us may have finished the job.
      if (!existsSync(join(dir, MARKER))) await install(dir);
      return entryPath(dir);
    },
  );
}

async function install(dir: string): Promise<void> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  if (existsSync(dir)) {
    progress(`removing an unfinished install in ${dir}`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'install.log');
  progress(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 70 s; log: ${logFile})`);
  // npm, node-gyp and code-server must all use the Node that runs the tests (native modules).
  const env = {
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Set by `npm run` in the repo; would point npm back at the repo's package.json.
    npm_config_local_prefix: undefined,
    npm_package_json: undefined,
  };
  const npm = async (cwd: string, ...args: string[]): Promise<void> => runLogged(['npm', ...args], { cwd, logFile, env });

  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'taskwarden-e2e-cache', private: true }));
  progress('1/6 npm install code-server (scripts off)');
  await npm(dir, 'install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`);
  progress(`2/6 npm rebuild argon2 (${elapsed()})`);
  await npm(dir, 'rebuild', 'argon2');

  const vscodeDir = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  progress(`3/6 patch ${PROXY_AGENT_ENTRY} in lib/vscode/npm-shrinkwrap.json to the registry tarball`);
  patchProxyAgent(join(vscodeDir, 'npm-shrinkwrap.json'));
  progress(`4/6 npm install in lib/vscode (scripts off), rebuild native modules (${elapsed()})`);
  await npm(vscodeDir, 'install', '--omit=dev', '--ignore-scripts');
  await npm(vscodeDir, 'rebuild', ...NATIVE_MODULES);

  progress(`5/6 symlinks the postinstall would have made (${elapsed()})`);
  replaceWithSymlink('node_modules', join(vscodeDir, 'node_modules.asar'));
  replaceWithSymlink('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  replaceWithSymlink('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  progress(`6/6 npm install in lib/vscode/extensions (${elapsed()})`);
  await npm(join(vscodeDir, 'extensions'), 'install', '--omit=dev', '--ignore-scripts');

  if (!existsSync(entryPath(dir))) throw new Error(`code-server install finished but ${entryPath(dir)} is missing`);
  writeFileSync(join(dir, MARKER), JSON.stringify({ version: CODE_SERVER_VERSION, node: process.version }));
  progress(`done in ${elapsed()}`);
}

/**
 * Points the shrinkwrap's `@vscode/proxy-agent` entry (a git URL) at the same version's tarball on
 * the registry host every other entry uses, and drops its integrity (it hashed the git archive).
 */
function patchProxyAgent(shrinkwrapFile: string): void {
  type Entry = { version?: string; resolved?: string; integrity?: string };
  const shrinkwrap = JSON.parse(readFileSync(shrinkwrapFile, 'utf8')) as { packages: Record<string, Entry> };
  const entry = shrinkwrap.packages[PROXY_AGENT_ENTRY];
  if (!entry) throw new Error(`${shrinkwrapFile} has no "${PROXY_AGENT_ENTRY}" entry`);
  const registryEntry = Object.values(shrinkwrap.packages).find((e) => e.resolved?.startsWith('https://'));
  const registry = registryEntry?.resolved ? new URL(registryEntry.resolved).origin : 'https://registry.npmjs.org';
  const version = entry.version ?? '0.27.0';
  entry.resolved = `${registry}/@vscode/proxy-agent/-/proxy-agent-${version}.tgz`;
  delete entry.integrity;
  writeFileSync(shrinkwrapFile, JSON.stringify(shrinkwrap, null, 2));
}

/** Like `ln -sfn target link`: whatever is at `link` is replaced. */
function replaceWithSymlink(target: string, link: string): void {
  rmSync(link, { recursive: true, force: true });
  symlinkSync(target, link);
}
