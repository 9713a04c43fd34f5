/**
 * Runs one install step (an argv array, no shell) and appends its output to a log file, so a long
 * install stays quiet on the terminal but a failure can show what went wrong.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

/** Options of {@link runLogged}. */
export interface RunLoggedOptions {
  /** Working directory of the step. */
  cwd: string;
  /** File that receives the step's stdout and stderr (appended). */
  logFile: string;
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `argv[0]` with the remaining arguments and resolves when it exits with code 0.
 * Rejects with the last lines of the log when it fails, so the cause is visible in the test output.
 */
export async function runLogged(argv: readonly string[], options: RunLoggedOptions): Promise<void> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runLogged: empty argv');
  appendFileSync(options.logFile, `\n$ (cd ${options.cwd} && ${argv.join(' ')})\n`);
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => appendFileSync(options.logFile, chunk));
  child.stderr.on('data', (chunk: Buffer) => appendFileSync(options.logFile, chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(
      `\`${argv.join(' ')}\` failed with exit code ${String(code)} in ${options.cwd}.\n` + `Last lines of ${options.logFile}:\n${tail}`,
    );
  }
}
