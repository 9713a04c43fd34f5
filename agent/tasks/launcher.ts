/**
 * `taskwarden/tasks/launch`: checks the request, takes the reserved id (or
 * reserves one on the spot), spawns the command (argv as given, no shell) with
 * its output in `.taskwarden/logs/tasks/<id>.out|.err`, records it in one
 * statement and hands it to the supervisor. A launch that fails leaves nothing
 * behind: no row, no reservation, no log file, no process.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../log';
import { signalOwnGroup } from '../proc/stopProcessGroup';
import { SupervisedRun } from '../proc/supervisedRun';
import { ErrorCodes, type ErrorCode } from '../protocol/errors';
import type { LaunchTaskParams, LaunchTaskResult } from './protocol';
import { failure, type RpcFailure } from '../core/rpc';
import { FeedbackReader } from './feedbackReader';
import { feedbackFilePath } from './feedbackPath';
import { checkLaunchParams, defaultTaskName, substituteFeedback, taskEnvironment } from './launchParams';
import { LiveTask, liveRow } from './liveTask';
import type { WatcherSettings } from './config/watcherSettings';
import type { TaskRegistry } from './taskRegistry';
import type { TaskStore } from './taskStore';
import type { TaskSupervisor } from './taskSupervisor';

export interface LauncherDeps {
  readonly registry: TaskRegistry;
  readonly store: TaskStore;
  readonly supervisor: TaskSupervisor;
  readonly log: Logger;
  readonly workspace: string;
  /** `.taskwarden/logs/tasks`. */
  readonly logsDir: string;
  settings(): WatcherSettings;
  /** The task started: push it to clients. */
  started(task: LiveTask): void;
}

async function isFolder(folder: string): Promise<boolean> {
  const stat = await fsp.stat(folder).catch(() => null);
  return stat !== null && stat.isDirectory();
}

/** Takes the reserved id for this launch, or explains why it cannot. */
function takeReservation(deps: LauncherDeps, id: number, name: string | null): LiveTask | RpcFailure {
  const task = deps.registry.get(id);
  if (task === undefined) {
    if (deps.store.historyEntry(id) !== null) return failure(ErrorCodes.Conflict, `task ${id} already ran (see taskwarden task history)`);
    const ttl = deps.settings().reservationTtlMs / 1000;
    return failure(ErrorCodes.NotFound, `task id ${id} is not reserved (a reservation expires after ${ttl} s if not launched)`);
  }
  if (task.phase !== 'reserved')
    return failure(ErrorCodes.Conflict, `task ${id} is already running${task.identity ? ` (pid ${task.identity.pid})` : ''}`);
  if (name !== null && task.name !== null && name !== task.name) {
    return failure(ErrorCodes.InvalidParams, `task ${id} was reserved with the name "${task.name}", not "${name}"`);
  }
  return task;
}

export async function launchTask(deps: LauncherDeps, params: LaunchTaskParams): Promise<LaunchTaskResult | RpcFailure> {
  const checked = checkLaunchParams(params);
  if (!checked.ok) return failure(ErrorCodes.InvalidParams, checked.error.message);
  const request = checked.value;

  let task: LiveTask;
  const reserved = request.taskId !== null;
  if (request.taskId !== null) {
    const taken = takeReservation(deps, request.taskId, request.name);
    if (!(taken instanceof LiveTask)) return taken;
    task = taken;
  } else {
    task = new LiveTask(deps.registry.nextId(), { name: null, unique: false, reservedAt: Date.now(), expiresAt: null });
    deps.registry.add(task);
  }
  // From here the id is ours: a second launch of it is refused, the expiry timer ignores it.
  task.phase = 'starting';
  const abandon = async (code: ErrorCode, message: string, files: readonly string[] = []): Promise<RpcFailure> => {
    await Promise.all(files.map((file) => fsp.rm(file, { force: true }).catch(() => undefined)));
    if (reserved) deps.registry.release(task, 'launch-failed');
    else {
      deps.registry.delete(task);
      task.markGone();
    }
    return failure(code, message);
  };

  task.name = request.name ?? task.name ?? defaultTaskName(request.argv);
  task.info = [...request.info];
  task.timeoutMs = request.timeoutMs ?? deps.settings().defaultTimeoutMs;
  task.cwd = request.cwd ?? deps.workspace;
  task.keepFeedback = request.keepFeedback;
  if (request.feedpath !== null) {
    if (!(await isFolder(request.feedpath)))
      return abandon(ErrorCodes.InvalidParams, `the feedback folder does not exist or is not a folder: ${request.feedpath}`);
    const file = feedbackFilePath(request.feedpath, String(task.id));
    if (!file.ok) return abandon(ErrorCodes.InvalidParams, file.error.message);
    task.feedbackFile = file.value;
    task.reader = new FeedbackReader(file.value);
  }
  task.argv = substituteFeedback(request.argv, task.feedbackFile);
  task.stdoutFile = path.join(deps.logsDir, `${task.id}.out`);
  task.stderrFile = path.join(deps.logsDir, `${task.id}.err`);

  const run = new SupervisedRun(
    {
      id: `task:${task.id}`,
      argv: task.argv,
      cwd: task.cwd,
      env: taskEnvironment(request.env ?? process.env, task.id, task.feedbackFile),
      mark: { workspace: deps.workspace, run: { part: 'tasks', id: String(task.id) } },
      files: { stdout: task.stdoutFile, stderr: task.stderrFile },
    },
    deps.supervisor.runOptions(),
  );
  task.run = run;
  const spawned = await run.start();
  if (!spawned.ok) {
    task.run = null;
    const { reason, message } = spawned.error;
    const code = reason === 'cwd-missing' || reason === 'empty-command' ? ErrorCodes.InvalidParams : ErrorCodes.SpawnFailed;
    return abandon(code, message, [task.stdoutFile, task.stderrFile]);
  }

  const child = spawned.value;
  task.identity = child.identity;
  task.startedAt = child.startedAt;
  task.phase = 'running';
  task.state = 'RUNNING';
  task.expiresAt = null;
  if (task.expiryTimer !== null) clearTimeout(task.expiryTimer);
  task.expiryTimer = null;
  try {
    deps.store.saveLive(liveRow(task));
  } catch (error: unknown) {
    // Untracked processes are worse than a failed launch.
    signalOwnGroup(child.identity, 'SIGKILL');
    deps.log.error(`recording task ${task.id}: ${(error as Error).message}`);
    return abandon(ErrorCodes.Internal, `could not record task ${task.id}: ${(error as Error).message}`, [
      task.stdoutFile,
      task.stderrFile,
    ]);
  }
  deps.started(task);
  deps.supervisor.watchChild(task, run);
  // A kill that arrived before the run existed (a kill during the spawn itself is queued by the run).
  if (task.stopReason !== null) deps.supervisor.stop(task, task.stopReason);
  return {
    id: task.id,
    pid: child.identity.pid,
    name: task.name,
    startedAt: child.startedAt,
    feedbackFile: task.feedbackFile,
    stdoutFile: task.stdoutFile,
    stderrFile: task.stderrFile,
  };
}
