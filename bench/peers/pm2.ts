/**
 * PM2 7.0.4 (the devDependency) as a peer. Every pm2 command starts a God daemon in PM2_HOME,
 * so each use gets a private PM2_HOME under the run's temporary folder, and `close` runs
 * `pm2 kill` there, then SIGKILLs the God daemon and anything else with that PM2_HOME.
 * Apps: fork mode, `interpreter: 'none'` (the binary is spawned directly), `autorestart`,
 * `restart_delay: 0`, `min_uptime: 100`, `max_restarts: 1e6` (else PM2 gives up on a process
 * that is killed repeatedly), SIGTERM to stop.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killByEnvironment } from '../cleanup';
import { describeFailure, killPid, runCommand, type CommandResult } from '../exec';
import { isAlive, fileSize } from '../proc';
import type { BenchContext, Fleet, LogTarget, Running, Subject } from '../subject';
import { Unavailable } from '../subject';
import { sleep } from '../wait';

type App = Record<string, unknown>;

function app(name: string, argv: readonly string[], extra: App = {}): App {
  const [script, ...args] = argv;
  return {
    name,
    script,
    args,
    interpreter: 'none',
    exec_mode: 'fork',
    autorestart: true,
    restart_delay: 0,
    min_uptime: 100,
    max_restarts: 1_000_000,
    kill_signal: 'SIGTERM',
    ...extra,
  };
}

/** One private PM2_HOME and its God daemon. */
class Pm2Home {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly dropCleanup: () => void;

  constructor(
    private readonly context: BenchContext,
    private readonly pm2: string,
    label: string,
  ) {
    this.dir = mkdtempSync(join(context.tempRoot, `pm2-${label}-`));
    this.env = { ...context.env, PM2_HOME: this.dir };
    this.dropCleanup = context.cleanup.add(`pm2 (${label})`, () => this.kill());
  }

  async cli(args: readonly string[], timeoutMs = 60_000): Promise<CommandResult> {
    const result = await runCommand([process.execPath, this.pm2, ...args], { env: this.env, timeoutMs });
    if (result.code !== 0) throw new Error(describeFailure(result));
    return result;
  }

  /** Writes an ecosystem file with these apps; returns its path. */
  ecosystem(name: string, apps: readonly App[]): string {
    const path = join(this.dir, `${name}.config.js`);
    writeFileSync(path, `module.exports = ${JSON.stringify({ apps }, null, 2)};\n`);
    return path;
  }

  godPid(): number {
    const file = join(this.dir, 'pm2.pid');
    const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : Number.NaN;
    if (!(pid > 0) || !isAlive(pid)) throw new Error(`PM2 God daemon not found in ${file}`);
    return pid;
  }

  async kill(): Promise<void> {
    this.dropCleanup();
    let god: number | null = null;
    try {
      god = this.godPid();
    } catch {
      // never started or already gone
    }
    try {
      await this.cli(['kill'], 30_000);
    } catch (error: unknown) {
      this.context.log(`pm2 kill: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (god !== null) {
      for (let waited = 0; isAlive(god) && waited < 3000; waited += 50) await sleep(50);
      killPid(god, 'SIGKILL');
    }
    await killByEnvironment(`PM2_HOME=${this.dir}`);
  }
}

export function pm2Peer(context: BenchContext): Subject {
  const pm2 = join(context.repoRoot, 'node_modules', 'pm2', 'bin', 'pm2');
  const home = (label: string): Pm2Home => {
    if (!existsSync(pm2)) throw new Unavailable(`${pm2} missing: npm install`);
    return new Pm2Home(context, pm2, label);
  };
  return {
    id: 'pm2',
    label: 'PM2 7.0.4',
    role: 'peer',

    async keepAlive(argv): Promise<Running> {
      const pm = home('restart');
      await pm.cli(['start', pm.ecosystem('restart', [app('restart', argv)])]);
      return { pid: pm.godPid(), close: () => pm.kill() };
    },

    async fleet(count, argv): Promise<Fleet> {
      const pm = home('fleet');
      const apps = Array.from({ length: count }, (_, i) => app(`s${i + 1}`, argv));
      await pm.cli(['start', pm.ecosystem('fleet', apps)]);
      await pm.cli(['stop', 'all']);
      return {
        pid: pm.godPid(),
        startAll: async () => void (await pm.cli(['start', 'all'])),
        stopAll: async () => void (await pm.cli(['stop', 'all'])),
        close: () => pm.kill(),
      };
    },

    async logTarget(argv): Promise<LogTarget> {
      const pm = home('log');
      const out = join(pm.dir, 'producer-out.log');
      const eco = pm.ecosystem('log', [
        app('producer', argv, { autorestart: false, out_file: out, error_file: join(pm.dir, 'producer-err.log'), merge_logs: true }),
      ]);
      await pm.cli(['ping']); // starts the God daemon before any run is timed
      return {
        pid: pm.godPid(),
        start: async () => void (await pm.cli(['start', eco])),
        logBytes: () => fileSize(out),
        async finish() {
          await pm.cli(['delete', 'producer']);
          rmSync(out, { force: true });
        },
        close: () => pm.kill(),
      };
    },
  };
}
