/**
 * Running the commands the benchmark drives: one-shot CLI calls (pm2, supervisorctl, taskwarden)
 * with a timeout, and long-lived helpers started in their own process group so a terminal's
 * Ctrl-C reaches only the benchmark, whose cleanup then stops them in order.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface CommandResult {
  readonly argv: readonly string[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Runs argv to completion; never rejects for a non-zero exit (the caller decides). */
export function runCommand(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runCommand: empty argv');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ argv, code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}

/** A one-line description of a failed command, for n/a cells and logs. */
export function describeFailure(result: CommandResult): string {
  const name = result.argv
    .slice(0, 3)
    .map((word) => (word === process.execPath ? 'node' : word))
    .join(' ');
  // Strip colour codes (PM2 prints them).
  const plain = (result.stderr.trim() || result.stdout.trim()).replace(/\x1b\[[0-9;]*m/g, '');
  const detail = plain.split('\n')[0] ?? '';
  const how = result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`;
  return `${name}: ${how}${detail ? `: ${detail.slice(0, 160)}` : ''}`;
}

/** Starts a long-lived helper in its own process group. */
export function spawnDetached(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions; cwd?: string } = {},
): ChildProcess {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('spawnDetached: empty argv');
  return spawn(file, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: options.stdio ?? 'ignore',
    detached: true,
  });
}

/** Signals a whole process group (pid = its leader); ignores groups that are already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Signals one process; ignores one that is already gone. */
export function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
