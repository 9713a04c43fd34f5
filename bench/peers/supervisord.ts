/**
 * supervisord 4.2.5 from Debian's package as a peer. Never the system service: each use runs
 * its own `supervisord -n` from a generated config whose unix socket, pid file and logs live in
 * the run's temporary folder, and it is stopped by pid. Programs: `startsecs=0`,
 * `autorestart=true`, SIGTERM to stop.
 */
import { fileSize } from '../proc';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure, runCommand, spawnDetached, type CommandResult } from '../exec';
import { stopDetached } from '../floor/resident';
import type { BenchContext, Fleet, LogTarget, Running, Subject } from '../subject';
import { Unavailable } from '../subject';
import { pollUntil } from '../wait';

export const SUPERVISORD = '/usr/bin/supervisord';
export const SUPERVISORCTL = '/usr/bin/supervisorctl';
export const INSTALL_HINT = 'supervisord not installed: apt-get install -y supervisor';

interface Program {
  readonly name: string;
  readonly argv: readonly string[];
  readonly settings: Record<string, string | number | boolean>;
}

/** Quotes an argument for supervisord's shlex-split `command=` line. */
function quote(argument: string): string {
  return /^[\w./=:-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'"'"'`)}'`;
}

function configText(dir: string, programs: readonly Program[]): string {
  const lines = [
    '[unix_http_server]',
    `file=${join(dir, 'supervisor.sock')}`,
    '[supervisord]',
    `logfile=${join(dir, 'supervisord.log')}`,
    `pidfile=${join(dir, 'supervisord.pid')}`,
    `childlogdir=${dir}`,
    'nodaemon=true',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[supervisorctl]',
    `serverurl=unix://${join(dir, 'supervisor.sock')}`,
  ];
  for (const program of programs) {
    lines.push(`[program:${program.name}]`, `command=${program.argv.map(quote).join(' ')}`);
    const settings = { startsecs: 0, autorestart: true, stopsignal: 'TERM', ...program.settings };
    for (const [key, value] of Object.entries(settings)) lines.push(`${key}=${String(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One supervisord instance with its own config, socket and logs. */
class Instance {
  readonly dir: string;
  readonly conf: string;
  pid = 0;
  private dropCleanup: () => void = () => undefined;

  /** `programs` gets the instance's folder, for log paths. */
  constructor(
    private readonly context: BenchContext,
    label: string,
    programs: (dir: string) => readonly Program[],
  ) {
    this.dir = mkdtempSync(join(context.tempRoot, `sv-${label}-`));
    this.conf = join(this.dir, 'supervisord.conf');
    writeFileSync(this.conf, configText(this.dir, programs(this.dir)));
  }

  async start(): Promise<void> {
    const child = spawnDetached([SUPERVISORD, '-n', '-c', this.conf], { env: this.context.env });
    if (child.pid === undefined) throw new Error('supervisord did not start');
    this.pid = child.pid;
    this.dropCleanup = this.context.cleanup.add('supervisord', () => this.stop());
    const socket = join(this.dir, 'supervisor.sock');
    await pollUntil(() => existsSync(socket), { intervalMs: 20, timeoutMs: 15_000, what: 'supervisord socket' });
  }

  async ctl(args: readonly string[]): Promise<CommandResult> {
    const result = await runCommand([SUPERVISORCTL, '-c', this.conf, ...args], { env: this.context.env });
    if (result.code !== 0) throw new Error(describeFailure(result));
    return result;
  }

  /** By pid: SIGTERM (supervisord stops its programs), then SIGKILL of its group. */
  async stop(): Promise<void> {
    this.dropCleanup();
    await stopDetached(this.pid, 30_000);
  }
}

export function supervisordPeer(context: BenchContext): Subject {
  const launch = async (label: string, programs: (dir: string) => readonly Program[]): Promise<Instance> => {
    if (!existsSync(SUPERVISORD) || !existsSync(SUPERVISORCTL)) throw new Unavailable(INSTALL_HINT);
    const instance = new Instance(context, label, programs);
    await instance.start();
    return instance;
  };
  return {
    id: 'supervisord',
    label: 'supervisord 4.2.5',
    role: 'peer',

    async keepAlive(argv): Promise<Running> {
      const sv = await launch('restart', () => [{ name: 'restart', argv, settings: { autostart: true } }]);
      return { pid: sv.pid, close: () => sv.stop() };
    },

    async fleet(count, argv): Promise<Fleet> {
      const programs = Array.from({ length: count }, (_, i) => ({
        name: `s${i + 1}`,
        argv,
        settings: { autostart: false },
      }));
      const sv = await launch('fleet', () => programs);
      return {
        pid: sv.pid,
        startAll: async () => void (await sv.ctl(['start', 'all'])),
        stopAll: async () => void (await sv.ctl(['stop', 'all'])),
        close: () => sv.stop(),
      };
    },

    async logTarget(argv): Promise<LogTarget> {
      const logFile = (dir: string): string => join(dir, 'log-out.log');
      const sv = await launch('log', (dir) => [
        {
          name: 'log',
          argv,
          settings: {
            autostart: false,
            autorestart: false,
            stdout_logfile: logFile(dir),
            stdout_logfile_maxbytes: 0,
            stdout_logfile_backups: 0,
          },
        },
      ]);
      const out = logFile(sv.dir);
      return {
        pid: sv.pid,
        start: async () => void (await sv.ctl(['start', 'log'])),
        logBytes: () => fileSize(out),
        async finish() {
          await sv.ctl(['stop', 'log']);
          rmSync(out, { force: true });
        },
        close: () => sv.stop(),
      };
    },
  };
}
