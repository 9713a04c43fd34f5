/**
 * Starts a supervised process: its own session and process group, stdout and
 * stderr written straight to log files (no pipe to the agent, so an agent crash
 * never SIGPIPEs a child and no line is lost), and its identity (pid + start
 * time) taken at once. Starts go through the spawn helper when it was built
 * (spawnHelper.ts: vfork in a small C process, no fork of the agent), else through Node.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { failed, ok, type Failure, type Result } from '../result';
import { identify, type ProcessIdentity } from './processIdentity';
import { sharedSpawnHelper, type SpawnHelper } from './spawnHelper';
import type { ExitInfo, SpawnRequest } from './spawnRequest';
import { PRIVATE_FILE_MODE, withStartingUmask } from './umask';

export type { ExitInfo, SpawnRequest } from './spawnRequest';

export interface SupervisedChild {
  readonly identity: ProcessIdentity;
  readonly startedAt: number;
  /** Resolves once the process has exited and was reaped. */
  readonly exited: Promise<ExitInfo>;
}

export type SpawnFailureReason = 'empty-command' | 'not-found' | 'not-permitted' | 'cwd-missing' | 'spawn-failed';

export interface SpawnFailure extends Failure<SpawnFailureReason> {
  /** The system's error code (ENOENT, EACCES…), when the system gave one. */
  readonly code: string | null;
}

export type SpawnOutcome = Result<SupervisedChild, SpawnFailure>;

function describeFailure(error: NodeJS.ErrnoException, request: SpawnRequest): SpawnFailure {
  const command = request.argv[0] ?? '';
  const code = error.code ?? null;
  if (error.code === 'ENOENT') {
    return fs.existsSync(request.cwd)
      ? { reason: 'not-found', message: `command not found: ${command}`, code }
      : { reason: 'cwd-missing', message: `working folder does not exist: ${request.cwd}`, code };
  }
  if (error.code === 'EACCES' || error.code === 'EPERM')
    return { reason: 'not-permitted', message: `not permitted to run ${command}: ${error.message}`, code };
  return { reason: 'spawn-failed', message: `cannot start ${command}: ${error.message}`, code };
}

/** Starts the process through `helper` (default: the agent's, if built), else with Node's spawn. */
export async function spawnSupervised(request: SpawnRequest, helper: SpawnHelper | null = sharedSpawnHelper()): Promise<SpawnOutcome> {
  const command = request.argv[0];
  if (!command) return failed({ reason: 'empty-command', message: 'the command is empty', code: null });
  // The helper does not switch users: those few starts stay with Node's spawn.
  if (helper !== null && request.uid === undefined && request.gid === undefined) {
    const outcome = await helper.start(request);
    if (outcome.kind === 'started') return ok({ identity: outcome.identity, startedAt: outcome.at, exited: outcome.exited });
    if (outcome.kind === 'failed') {
      const error = Object.assign(new Error(`${outcome.step} ${command} ${outcome.code}`), { code: outcome.code });
      return failed(outcome.step === 'open' ? logFileFailure(error, request) : describeFailure(error, request));
    }
  }
  return spawnInProcess(command, request);
}

function logFileFailure(error: NodeJS.ErrnoException, request: SpawnRequest): SpawnFailure {
  return {
    reason: 'spawn-failed',
    message: `cannot open the log files ${request.stdoutFile} and ${request.stderrFile}: ${error.message}`,
    code: error.code ?? null,
  };
}

/** Node's own spawn (a fork of the agent): without the helper, or to switch users. */
function spawnInProcess(command: string, request: SpawnRequest): Promise<SpawnOutcome> {
  const args = request.argv.slice(1);
  let stdout: number | undefined;
  let stderr: number | undefined;
  try {
    stdout = fs.openSync(request.stdoutFile, 'a', PRIVATE_FILE_MODE);
    stderr = request.stderrFile === request.stdoutFile ? stdout : fs.openSync(request.stderrFile, 'a', PRIVATE_FILE_MODE);
  } catch (error: unknown) {
    if (stdout !== undefined) fs.closeSync(stdout);
    return Promise.resolve(failed(logFileFailure(error as NodeJS.ErrnoException, request)));
  }
  try {
    const child = withStartingUmask(() =>
      spawn(command, args, {
        cwd: request.cwd,
        env: request.env,
        detached: true,
        stdio: ['ignore', stdout, stderr],
        uid: request.uid,
        gid: request.gid,
        argv0: request.argv0,
      }),
    );
    if (child.pid === undefined) {
      return new Promise((resolve) => child.once('error', (error) => resolve(failed(describeFailure(error, request)))));
    }
    const startedAt = Date.now();
    const identity = identify(child.pid) ?? { pid: child.pid, startTime: 0 };
    const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    // The child must never keep the agent's event loop alive on its own.
    child.unref();
    return Promise.resolve(ok({ identity, startedAt, exited }));
  } catch (error: unknown) {
    return Promise.resolve(failed(describeFailure(error as NodeJS.ErrnoException, request)));
  } finally {
    fs.closeSync(stdout);
    if (stderr !== stdout) fs.closeSync(stderr);
  }
}
