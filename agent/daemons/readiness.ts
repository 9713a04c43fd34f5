/**
 * Ready probes: when has a started daemon become useful to its dependents?
 * - `log`: a line of its stdout or stderr matches a pattern (read from the log
 *   files, from where the process started writing);
 * - `exec`: a command exits 0;
 * - `port`: a TCP connection to host:port succeeds;
 * - `http`: a GET answers 2xx or 3xx.
 * A probe that has not passed by its timeout is reported once and keeps trying,
 * so a slow daemon still releases its dependents when it finally comes up.
 */
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { followLog, type Follower } from '../proc/logFollower';
import { withStartingUmask } from '../proc/umask';
import type { ReadyCheck } from './config/spec';
import type { InstanceLogFiles } from './logs';

export interface ProbeOptions {
  readonly check: ReadyCheck;
  readonly files: InstanceLogFiles;
  /** Where the process's output starts in each file (log probe). */
  readonly offsets: { readonly stdout: number; readonly stderr: number };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly onReady: () => void;
  /** Called once when the timeout passes without success. */
  readonly onTimeout: (message: string) => void;
}

export interface ProbeHandle {
  /** How far the log probe has read each file (saved for adoption). */
  offsets(): { stdout: number; stderr: number };
  cancel(): void;
}

const RETRY_MS = { exec: 250, port: 100, http: 250 } as const;
const ATTEMPT_TIMEOUT_MS = 5000;

function execOnce(argv: readonly string[], cwd: string, env: Readonly<Record<string, string>>): Promise<boolean> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    if (!command) return resolve(false);
    const child = withStartingUmask(() => spawn(command, args, { cwd, env, stdio: 'ignore' }));
    const timer = setTimeout(() => child.kill('SIGKILL'), ATTEMPT_TIMEOUT_MS);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

function portOnce(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(ATTEMPT_TIMEOUT_MS);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function httpOnce(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { timeout: ATTEMPT_TIMEOUT_MS }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(status >= 200 && status < 400);
    });
    request.once('error', () => resolve(false));
    request.once('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

function describe(check: ReadyCheck): string {
  switch (check.kind) {
    case 'log':
      return `no output line matched /${check.pattern}/`;
    case 'exec':
      return `'${check.argv.join(' ')}' did not succeed`;
    case 'port':
      return `nothing accepted connections on ${check.host}:${check.port}`;
    case 'http':
      return `${check.url} did not answer 2xx/3xx`;
    default: {
      const unreachable: never = check;
      return unreachable;
    }
  }
}

/** Starts probing; exactly one of onReady (once) or nothing happens after cancel(). */
export function startProbe(options: ProbeOptions): ProbeHandle {
  const { check } = options;
  let done = false;
  const offsets = { stdout: options.offsets.stdout, stderr: options.offsets.stderr };
  const followers: Follower[] = [];
  let retry: NodeJS.Timeout | undefined;
  const timeout = setTimeout(() => {
    if (!done) options.onTimeout(`not ready after ${Math.round(check.timeoutMs / 100) / 10} s: ${describe(check)}`);
  }, check.timeoutMs);
  timeout.unref();

  const finish = (): void => {
    if (done) return;
    done = true;
    cleanup();
    options.onReady();
  };
  const cleanup = (): void => {
    clearTimeout(timeout);
    clearTimeout(retry);
    for (const follower of followers) follower.close();
  };

  const poll = (attempt: () => Promise<boolean>, every: number): void => {
    const run = (): void => {
      void attempt().then((ok) => {
        if (done) return;
        if (ok) finish();
        else retry = setTimeout(run, every);
      });
    };
    run();
  };

  switch (check.kind) {
    case 'log': {
      const pattern = new RegExp(check.pattern);
      for (const stream of ['stdout', 'stderr'] as const) {
        followers.push(
          followLog({
            file: options.files[stream],
            offset: offsets[stream],
            pollMs: 250,
            onLines: (lines, endOffset) => {
              offsets[stream] = endOffset;
              if (!done && lines.some((line) => pattern.test(line))) finish();
            },
          }),
        );
      }
      break;
    }
    case 'exec':
      poll(() => execOnce(check.argv, options.cwd, options.env), RETRY_MS.exec);
      break;
    case 'port':
      poll(() => portOnce(check.host, check.port), RETRY_MS.port);
      break;
    case 'http':
      poll(() => httpOnce(check.url), RETRY_MS.http);
      break;
    default: {
      const unreachable: never = check;
      return unreachable;
    }
  }

  return {
    offsets: () => ({ ...offsets }),
    cancel: () => {
      done = true;
      cleanup();
    },
  };
}
