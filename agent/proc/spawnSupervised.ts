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
import { sharedSpawnHelper, type ChainAnchor, type ChainCancel, type HelperOutcome, type SpawnHelper } from './spawnHelper';
import type { ExitInfo, SpawnRequest } from './spawnRequest';
import { PRIVATE_FILE_MODE, withStartingUmask } from './umask';

export type { ExitInfo, SpawnRequest } from './spawnRequest';

export interface SupervisedChild {
  readonly identity: ProcessIdentity;
  readonly startedAt: number;
  /** Resolves once the process has exited and was reaped. */
  readonly exited: Promise<ExitInfo>;
  /** What a later start can be chained to; null when it was not started by the helper. */
  readonly anchor: ChainAnchor | null;
}

/**
 * Why a start failed; `chain-cancelled`: a chained start cancelled in time, `chain-lost`: the
 * helper died while a chained start waited (it may or may not have started).
 */
export type SpawnFailureReason =
  'empty-command' | 'not-found' | 'not-permitted' | 'cwd-missing' | 'spawn-failed' | 'chain-cancelled' | 'chain-lost';

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
    if (outcome.kind !== 'unavailable') return helperOutcome(outcome, request);
  }
  return spawnInProcess(command, request);
}

/** A start through the helper chained to the end of `anchor`'s process (spawnHelper.ts), with its cancel. */
export interface ChainedSpawn {
  readonly outcome: Promise<SpawnOutcome>;
  cancel(): Promise<ChainCancel>;
  /** What a further start can be chained to before this one happened (the helper keeps the order). */
  readonly anchor: ChainAnchor | null;
}

/** Starts the process through `helper` once `anchor`'s process has ended; never through Node (see `chain-lost`). */
export function spawnChained(request: SpawnRequest, anchor: ChainAnchor, helper: SpawnHelper): ChainedSpawn {
  if (!request.argv[0]) {
    const empty = failed({ reason: 'empty-command' as const, message: 'the command is empty', code: null });
    return { outcome: Promise.resolve(empty), cancel: () => Promise.resolve('started'), anchor: null };
  }
  const chained = helper.chain(request, anchor);
  return {
    outcome: chained.outcome.then((outcome) => helperOutcome(outcome, request)),
    cancel: () => chained.cancel(),
    anchor: chained.anchor,
  };
}

function helperOutcome(outcome: HelperOutcome, request: SpawnRequest): SpawnOutcome {
  const command = request.argv[0] ?? '';
  switch (outcome.kind) {
    case 'started':
      return ok({ identity: outcome.identity, startedAt: outcome.at, exited: outcome.exited, anchor: outcome.anchor });
    case 'failed': {
      const error = Object.assign(new Error(`${outcome.step} ${command} ${outcome.code}`), { code: outcome.code });
      return failed(outcome.step === 'open' ? logFileFailure(error, request) : describeFailure(error, request));
    }
    case 'cancelled':
      return failed({ reason: 'chain-cancelled', message: `the chained start of ${command} was cancelled`, code: null });
    case 'unavailable':
      return failed({ reason: 'chain-lost', message: `the spawn helper went away while the start of ${command} waited`, code: null });
  }
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
    return Promise.resolve(ok({ identity, startedAt, exited, anchor: null }));
  } catch (error: unknown) {
    return Promise.resolve(failed(describeFailure(error as NodeJS.ErrnoException, request)));
  } finally {
    fs.closeSync(stdout);
    if (stderr !== stdout) fs.closeSync(stderr);
  }
}
