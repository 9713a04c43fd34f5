/**
 * The control requests of the Tasks part (taskwatcher's control.py): reserve,
 * list, feedback, history, clear, kill, killall, update, initialize. Each
 * returns its result or a failure value; none throws.
 */
import * as fsp from 'node:fs/promises';
import { ErrorCodes } from '../protocol/errors';
import type {
  KillAllTasksResult,
  KillTaskResult,
  ListTasksResult,
  ReserveTaskParams,
  ReserveTaskResult,
  TaskFeedbackResult,
  TaskHistoryParams,
  TaskHistoryResult,
  UpdateTasksResult,
} from './protocol';
import { failure, type RpcFailure } from '../core/rpc';
import { isTaskId } from './launchParams';
import { taskInfo, type LiveTask } from './liveTask';
import type { TasksPart } from './tasksPart';
import { counted } from '../protocol/counts';

const KILLED = { kind: 'killed', error: 'killed' } as const;

function badId(id: unknown): RpcFailure {
  return failure(ErrorCodes.InvalidParams, `invalid task id ${JSON.stringify(id)}: a task id is a positive integer`);
}

function notLive(part: TasksPart, id: number): RpcFailure {
  return part.store.historyEntry(id) !== null
    ? failure(ErrorCodes.NotFound, `task ${id} has already ended (see taskwarden task history)`)
    : failure(ErrorCodes.NotFound, `no task ${id} is reserved or running`);
}

export function reserve(part: TasksPart, params: ReserveTaskParams | null): ReserveTaskResult | RpcFailure {
  if (part.closing) return failure(ErrorCodes.ShuttingDown, 'the agent is stopping; no new task is reserved');
  const name = params?.name ?? null;
  const unique = params?.unique === true;
  if (name !== null && (typeof name !== 'string' || name === ''))
    return failure(ErrorCodes.InvalidParams, 'the task name must be a non-empty string');
  if (unique && name === null) return failure(ErrorCodes.InvalidParams, 'a unique reservation needs a name (--name)');
  const outcome = part.registry.reserve(name, unique, part.settings.reservationTtlMs);
  if (!outcome.ok) return failure(ErrorCodes.Conflict, outcome.error.message);
  const task = outcome.value;
  return { id: task.id, name: task.name, unique: task.unique, expiresAt: task.expiresAt ?? 0 };
}

export function list(part: TasksPart): ListTasksResult {
  const tasks = part.registry
    .all()
    .filter((task) => task.phase === 'reserved' || task.phase === 'running')
    .sort((a, b) => a.id - b.id)
    .map(taskInfo);
  return { now: Date.now(), tasks };
}

export function feedback(part: TasksPart, params: { id: number } | null): TaskFeedbackResult | RpcFailure {
  const id = params?.id;
  if (!isTaskId(id)) return badId(id);
  const task = part.registry.get(id);
  if (task !== undefined && task.phase !== 'reserved') {
    return { id, source: 'running', feedback: task.reader?.values() ?? null, lastUpdateAt: task.lastUpdateAt };
  }
  if (task !== undefined) return failure(ErrorCodes.NotFound, `task ${id} is reserved but not launched yet: it has no feedback`);
  const entry = part.store.historyEntry(id);
  if (entry === null) return failure(ErrorCodes.NotFound, `no task ${id} is running or in the history`);
  return { id, source: 'history', feedback: entry.feedback, lastUpdateAt: null };
}

export function history(part: TasksPart, params: TaskHistoryParams | null): TaskHistoryResult | RpcFailure {
  const limit = params?.limit ?? null;
  const offset = params?.offset ?? 0;
  const name = params?.name ?? null;
  if (limit !== null && !(Number.isSafeInteger(limit) && limit >= 0))
    return failure(ErrorCodes.InvalidParams, `invalid limit ${JSON.stringify(limit)}`);
  if (!(Number.isSafeInteger(offset) && offset >= 0)) return failure(ErrorCodes.InvalidParams, `invalid offset ${JSON.stringify(offset)}`);
  if (name !== null && typeof name !== 'string') return failure(ErrorCodes.InvalidParams, 'the name must be a string');
  return part.store.history({ limit, offset, name });
}

export async function clear(part: TasksPart): Promise<{ removed: number }> {
  const { removed, files } = part.store.clearHistory();
  await Promise.all(files.map((file) => fsp.rm(file, { force: true }).catch(() => undefined)));
  part.publish({ kind: 'historyCleared' });
  return { removed };
}

/** Releases a reservation now, or stops a running task and waits until it is recorded. */
async function end(part: TasksPart, task: LiveTask): Promise<'reserved' | 'running'> {
  if (task.phase === 'reserved') {
    part.registry.release(task, 'released');
    return 'reserved';
  }
  part.supervisor.stop(task, KILLED);
  await task.gone;
  return 'running';
}

export async function kill(part: TasksPart, params: { id: number } | null): Promise<KillTaskResult | RpcFailure> {
  const id = params?.id;
  if (!isTaskId(id)) return badId(id);
  const task = part.registry.get(id);
  if (task === undefined) return notLive(part, id);
  return { id, was: await end(part, task) };
}

export async function killAll(part: TasksPart, params: { name: string } | null): Promise<KillAllTasksResult | RpcFailure> {
  const name = params?.name;
  if (typeof name !== 'string' || name === '') return failure(ErrorCodes.InvalidParams, 'give the name of the tasks to kill');
  const matching = part.registry.all().filter((task) => task.name === name && task.isLive);
  if (matching.length === 0) return failure(ErrorCodes.NotFound, `no task named "${name}" is reserved or running`);
  const outcomes = await Promise.all(matching.map(async (task) => [task.id, await end(part, task)] as const));
  return {
    killed: outcomes.filter(([, was]) => was === 'running').map(([id]) => id),
    released: outcomes.filter(([, was]) => was === 'reserved').map(([id]) => id),
  };
}

export async function update(part: TasksPart): Promise<UpdateTasksResult> {
  const expired = part.registry.expireDue();
  await part.supervisor.checkAll(part.registry.all());
  const all = part.registry.all();
  return {
    expired,
    running: all.filter((task) => task.phase === 'running').length,
    reserved: all.filter((task) => task.phase === 'reserved').length,
  };
}

export async function initialize(part: TasksPart): Promise<{ removedHistory: number; releasedReservations: number } | RpcFailure> {
  const running = part.registry.all().filter((task) => task.phase !== 'reserved');
  if (running.length > 0) {
    const ids = running.map((task) => task.id).join(', ');
    return failure(
      ErrorCodes.Conflict,
      `${counted(running.length, 'task')} still ${running.length === 1 ? 'runs' : 'run'} (${ids}); kill them first (taskwarden task kill ID)`,
    );
  }
  for (const task of part.registry.all()) {
    part.registry.delete(task);
    task.markGone();
    part.publish({ kind: 'removed', id: task.id, reason: 'released' });
  }
  const removed = part.store.initialize();
  part.registry.resetIds();
  // The output files of every task go too; the folder itself stays for the next launch.
  const entries = await fsp.readdir(part.logsDir).catch(() => []);
  await Promise.all(entries.map((entry) => fsp.rm(`${part.logsDir}/${entry}`, { force: true, recursive: true }).catch(() => undefined)));
  part.publish({ kind: 'historyCleared' });
  part.healthMayHaveChanged();
  return { removedHistory: removed.history, releasedReservations: removed.reservations };
}
