/**
 * Starts one real VS Code (code-server 4.96.4) for a test: fresh user-data and extensions folders,
 * quiet settings, the extension under test installed from its vsix, Workspace Trust left on.
 * `stop()` kills every process it started (its process group, its process tree, and anything that
 * carries its run marker) and removes its temp folders; an exit hook does the same if a test dies.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runArtifactsDir } from './artifacts';
import { ensureCodeServer } from './codeServerInstall';
import { onExitCleanup } from './exitCleanup';
import { markedProcesses, processTree, RUN_MARKER_VARIABLE, signalAll } from './processes';
import { runLogged } from './runLogged';
import { waitFor } from './waitFor';

/** Options of {@link startVsCode}. */
export interface StartVsCodeOptions {
  /** The extension under test, installed with `--install-extension` before the server starts. */
  vsixPath?: string;
  /** Folder code-server opens when the browser gives no `?folder=` (the browser helper always does). */
  workspaceFolder?: string;
  /** Extra user settings, merged over the harness's quiet defaults. */
  userSettings?: Record<string, unknown>;
}

/** A running code-server. */
export interface VsCodeServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own output (kept in the run's artifacts folder after `stop()`). */
  logFile: string;
  /** Value of the run marker variable in every process this server started. */
  runId: string;
  /** Kills all its processes and removes its temp folders. Safe to call twice. */
  stop(): Promise<void>;
}

/** Settings that keep a fresh VS Code quiet: no welcome page, tips, telemetry or update checks. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
};

/** A TCP port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port from the OS');
  return address.port;
}

let serverCount = 0;

/**
 * Starts code-server with the extension at `vsixPath` installed and resolves once it answers HTTP.
 * Always pair with `stop()` (in `after`/`finally`).
 */
export async function startVsCode(options: StartVsCodeOptions = {}): Promise<VsCodeServer> {
  const entry = await ensureCodeServer();
  const root = mkdtempSync(join(tmpdir(), 'taskwarden-e2e-vscode-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir);
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.userSettings }, null, 2));
  // An explicit config file, or code-server writes one with a password into ~/.config.
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const runId = `${process.pid}-${++serverCount}-${Date.now()}`;
  const logFile = join(runArtifactsDir(), `code-server-${runId}.log`);
  writeFileSync(logFile, '');
  const env = { [RUN_MARKER_VARIABLE]: runId, PASSWORD: undefined, HASHED_PASSWORD: undefined };
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  let child: ReturnType<typeof spawn> | undefined;
  let stopped = false;
  const killEverything = (signal: NodeJS.Signals): void => {
    const pids = [...(child?.pid !== undefined ? processTree(child.pid) : []), ...markedProcesses(runId)].map((info) => info.pid);
    signalAll(pids, signal, child?.pid);
  };
  const removeFolders = (): void => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  const unregister = onExitCleanup(() => {
    killEverything('SIGKILL');
    removeFolders();
  });
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killEverything('SIGTERM');
    const gone = await waitFor(() => markedProcesses(runId).length === 0, { timeoutMs: 5000, intervalMs: 100 }).then(
      () => true,
      () => false,
    );
    if (!gone) killEverything('SIGKILL');
    await waitFor(() => markedProcesses(runId).length === 0, {
      timeoutMs: 5000,
      intervalMs: 100,
      description: `the processes of code-server run ${runId} to exit`,
    });
    removeFolders();
    unregister();
  };

  try {
    if (options.vsixPath !== undefined) {
      await installExtension(entry, common, resolve(options.vsixPath), logFile, env);
    }
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const args = [entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`];
      args.push('--disable-telemetry', '--disable-update-check', '--disable-getting-started-override');
      if (options.workspaceFolder !== undefined) args.push(resolve(options.workspaceFolder));
      const out = openSync(logFile, 'a');
      child = spawn(process.execPath, args, {
        detached: true, // its own process group, killed as a whole
        stdio: ['ignore', out, out],
        env: { ...process.env, ...env },
      });
      closeSync(out);
      let exited: string | undefined;
      child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
      const ready = await waitFor(
        async () => exited ?? (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) })).ok,
        { timeoutMs: 60_000, intervalMs: 200, description: `code-server to answer on port ${port}` },
      );
      if (ready === true) {
        const url = `http://127.0.0.1:${port}/`;
        return { url, port, userDataDir, extensionsDir, logFile, runId, stop };
      }
      // Someone took the port between freePort() and listen(): try another one.
      if (attempt >= 3 || !readFileSync(logFile, 'utf8').includes('EADDRINUSE')) {
        throw new Error(`code-server ${ready} before answering HTTP; see ${logFile}:\n${tail(logFile)}`);
      }
    }
  } catch (error: unknown) {
    await stop();
    throw error;
  }
}

async function installExtension(entry: string, common: string[], vsixPath: string, logFile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const before = readFileSync(logFile, 'utf8').length;
  await runLogged([process.execPath, entry, ...common, '--install-extension', vsixPath, '--force'], {
    cwd: process.cwd(),
    logFile,
    env,
  });
  // The CLI can print an error and still exit 0: trust only its success line.
  const output = readFileSync(logFile, 'utf8').slice(before);
  if (!/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsixPath} into code-server failed:\n${output.trim()}`);
  }
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
}
