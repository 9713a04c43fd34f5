/**
 * The queues requests (agent/queues/protocol/messages.ts) as operations on the part:
 * push (atomic), list, items, history, show, remove, kill, retry, move, pause,
 * resume, clear, wait, wait-empty.
 */
import { failure, type RpcFailure } from '../core/rpc';
import { ErrorCodes, type ErrorCode } from '../protocol/errors';
import { PreEncodedJson } from '../protocol/preEncoded';
import type {
  KillQueueItemResult,
  ListQueuesResult,
  MoveQueueItemParams,
  PushItemsParams,
  PushItemsResult,
  QueueHistoryParams,
  QueueHistoryResult,
  QueueItem,
  QueueItemsParams,
  QueueItemsResult,
  QueueSummary,
  RetryQueueItemParams,
  WaitQueueItemParams,
} from './protocol';
import { orderProblem } from './ordering';
import { afterProblem, comebackProblem, idProblem, type PushView } from './pushChecks';
import { freshOutputStem } from './outputFiles';
import { QueueEntry } from './queueEntry';
import type { LiveQueue, QueuesPart } from './queuesPart';

function unknownQueue(part: QueuesPart, name: string): RpcFailure {
  const known = part.configuredNames();
  const list = known.length > 0 ? `the queues are: ${known.join(', ')}` : 'no queue is configured';
  return failure(ErrorCodes.NotFound, `no queue '${name}' in the config (${list}; or set settings.queues_auto: true)`);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

export function push(part: QueuesPart, params: PushItemsParams): PushItemsResult | RpcFailure {
  if (part.closing) return failure(ErrorCodes.ShuttingDown, 'the agent is stopping; nothing is pushed');
  const queue = part.queueFor(params.queue, true);
  if (!queue) return unknownQueue(part, params.queue);
  if (!Array.isArray(params.items as unknown)) return failure(ErrorCodes.InvalidParams, 'items must be an array');
  const now = part.now();
  const ids = new Set<string>();
  const given = new Set(params.items.flatMap((item) => (typeof item.id === 'string' ? [item.id] : [])));
  const view = pushView(part);
  const entries: QueueEntry[] = [];
  let pos = (queue.queued.at(queue.queued.length - 1)?.pos ?? now) + 1;
  for (const [index, item] of params.items.entries()) {
    const where = params.items.length > 1 ? `item ${index + 1}: ` : '';
    // `data.item` (from 0) lets a client name the item its own way (the CLI: the --stdin line).
    const refuse = (code: ErrorCode, message: string): RpcFailure => failure(code, `${where}${message}`, { item: index });
    if (!Array.isArray(item.cmd) || item.cmd.length === 0 || !item.cmd.every((arg: unknown) => typeof arg === 'string'))
      return refuse(ErrorCodes.InvalidParams, 'the command must be a non-empty list of strings');
    if (item.cwd !== undefined && typeof item.cwd !== 'string') return refuse(ErrorCodes.InvalidParams, 'cwd must be a string');
    if (item.env !== undefined && !isStringRecord(item.env)) return refuse(ErrorCodes.InvalidParams, 'env must map names to strings');
    if (item.after !== undefined && (!Array.isArray(item.after) || !item.after.every((id: unknown) => typeof id === 'string')))
      return refuse(ErrorCodes.InvalidParams, 'after must be a list of ids');
    if (item.id !== undefined && (typeof item.id !== 'string' || item.id === ''))
      return refuse(ErrorCodes.InvalidParams, 'an id must be a non-empty string');
    const badId = item.id === undefined ? null : idProblem(item.id);
    if (badId !== null) return refuse(ErrorCodes.InvalidParams, badId);
    const id = item.id ?? part.newId();
    if (ids.has(id)) return refuse(ErrorCodes.Conflict, `the id '${id}' is given twice in this push`);
    if (part.live.has(id)) return refuse(ErrorCodes.Conflict, `an item '${id}' is already queued or running`);
    const badAfter = afterProblem({ id, queue: params.queue, after: item.after ?? [] }, given, view);
    if (badAfter !== null) return refuse(ErrorCodes.InvalidParams, `${badAfter}; nothing was pushed`);
    ids.add(id);
    // A generated id is new; a given one may have run before and left its output files.
    const output = item.id === undefined ? undefined : freshOutputStem(part.logsDir, id);
    const spec = { cmd: item.cmd, cwd: item.cwd ?? null, env: item.env ?? {}, after: item.after ?? [], ...(output ? { output } : {}) };
    entries.push(new QueueEntry(id, params.queue, pos, spec, now));
    pos += 1;
  }
  const misordered = orderProblem(entries);
  if (misordered !== null) return failure(ErrorCodes.InvalidParams, misordered);
  // Only a given id can come back to items waiting for its earlier run.
  const comeback = params.items.some((item) => item.id !== undefined) ? comebackProblem(entries, view) : null;
  if (comeback !== null) return failure(ErrorCodes.Conflict, `${comeback}; nothing was pushed`);
  part.store.push(entries.map((entry) => ({ id: entry.id, queue: entry.queue, pos: entry.pos, spec: entry.spec, timeQueue: now })));
  for (const entry of entries) {
    part.live.set(entry.id, entry);
    queue.queued.push(entry);
  }
  if (entries.length <= 100) part.publish({ kind: 'items', items: entries.map((entry) => entry.record()) });
  else part.publish({ kind: 'reordered', queue: params.queue });
  part.schedule(params.queue);
  part.publish({ kind: 'queues', queues: [part.summary(queue)] });
  return { ids: entries.map((entry) => entry.id) };
}

/** The part's live items and history as the push checks read them. */
function pushView(part: QueuesPart): PushView {
  return {
    live: (id) => part.live.get(id),
    waiting: function* () {
      for (const entry of part.live.values()) if (entry.after.length > 0) yield entry;
    },
    ended: (id) => part.store.lastOf(id),
  };
}

export function list(part: QueuesPart): ListQueuesResult {
  return { now: part.now(), queues: part.summaries() };
}

export function items(part: QueuesPart, params: QueueItemsParams): QueueItemsResult | RpcFailure {
  let queues: LiveQueue[] = [...part.queues.values()];
  if (params.queue !== undefined) {
    const queue = part.queues.get(params.queue);
    if (!queue && !part.config.auto) return unknownQueue(part, params.queue);
    queues = queue ? [queue] : [];
  }
  const found: QueueItem[] = [];
  const queuedTotal: Record<string, number> = {};
  for (const queue of queues) {
    for (const entry of queue.running.values()) found.push(entry.record());
    const queued = params.limit === undefined ? queue.queued : queue.queued.slice(0, params.limit);
    for (const entry of queued) found.push(entry.record());
    queuedTotal[queue.config.name] = queue.queued.length;
  }
  return { now: part.now(), items: found, queuedTotal };
}

/**
 * `queue list --json`: the rows joined into one array's JSON text (each queued row is serialized
 * once and kept), sent pre-encoded, so 10,000 queued items cost a join here and a copy to the socket.
 */
export function itemsJson(part: QueuesPart, params: QueueItemsParams): PreEncodedJson | RpcFailure {
  let queues: LiveQueue[] = [...part.queues.values()];
  if (params.queue !== undefined) {
    const queue = part.queues.get(params.queue);
    if (!queue && !part.config.auto) return unknownQueue(part, params.queue);
    queues = queue ? [queue] : [];
  }
  const rows: Uint8Array[] = [];
  for (const queue of queues) {
    for (const entry of queue.running.values()) rows.push(Buffer.from(entry.listJson()));
    const queued = queue.queued.jsonBytes(params.limit);
    if (queued.byteLength > 0) rows.push(queued);
  }
  return PreEncodedJson.array(rows);
}

export function history(part: QueuesPart, params: QueueHistoryParams): QueueHistoryResult | RpcFailure {
  if (params.queue !== undefined && !part.queues.has(params.queue) && !part.config.auto) return unknownQueue(part, params.queue);
  const limit = params.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1) return failure(ErrorCodes.InvalidParams, 'limit must be a positive integer');
  const before = params.before === undefined ? null : Number(params.before);
  if (before !== null && !Number.isInteger(before)) return failure(ErrorCodes.InvalidParams, `bad cursor '${params.before}'`);
  return part.store.history(params.queue ?? null, limit, before);
}

export function show(part: QueuesPart, id: string): QueueItem | RpcFailure {
  const live = part.live.get(id);
  if (live) return live.record();
  return part.store.lastOf(id) ?? failure(ErrorCodes.NotFound, `no queue item '${id}' (neither queued, running nor in the history)`);
}

function removeQueued(part: QueuesPart, entry: QueueEntry): void {
  const queue = part.queues.get(entry.queue)!;
  queue.queued.remove(entry);
  part.live.delete(entry.id);
  part.dropPrepared(entry);
  part.store.remove([entry.id]);
  part.publish({ kind: 'removed', ids: [entry.id] });
  part.publish({ kind: 'queues', queues: [part.summary(queue)] });
  part.removed([entry.id]);
  // A removed head may have been holding the queue (a dependency), and a waiter for "empty" must not hang.
  part.schedule(entry.queue);
  part.scheduleWaitingOn([entry.id]);
  part.checkEmpty(queue);
}

export function remove(part: QueuesPart, id: string): { id: string } | RpcFailure {
  const entry = part.live.get(id);
  if (!entry) return failure(ErrorCodes.NotFound, `no queued item '${id}'`);
  if (entry.state !== 0) return failure(ErrorCodes.Conflict, `item '${id}' is running: use 'taskwarden queue kill ${id}' to stop it`);
  removeQueued(part, entry);
  return { id };
}

export async function kill(part: QueuesPart, id: string): Promise<KillQueueItemResult | RpcFailure> {
  const entry = part.live.get(id);
  if (!entry) return failure(ErrorCodes.NotFound, `no queued or running item '${id}'`);
  if (entry.state === 0) {
    removeQueued(part, entry);
    return { id, was: 'queued' };
  }
  const ended = new Promise<void>((resolve) => part.whenEnded(id, () => resolve()));
  entry.killRequested = true;
  if (entry.run) void entry.run.stop('killed by user');
  await ended;
  return { id, was: 'running' };
}

export function retry(part: QueuesPart, params: RetryQueueItemParams): { id: string } | RpcFailure {
  if (part.live.has(params.id)) return failure(ErrorCodes.Conflict, `item '${params.id}' has not finished yet`);
  const ended = part.store.lastOf(params.id);
  if (!ended) return failure(ErrorCodes.NotFound, `no finished item '${params.id}'`);
  if (params.after !== undefined && (!Array.isArray(params.after) || !params.after.every((id: unknown) => typeof id === 'string')))
    return failure(ErrorCodes.InvalidParams, 'after must be a list of ids');
  const after = params.after ?? ended.after;
  if (params.after === undefined) {
    const blocked = blockedDependency(part, ended.after);
    if (blocked !== null) {
      const way = blocked.failed
        ? `retry '${blocked.id}' first, then 'taskwarden queue retry ${params.id} --after NEW_ID'`
        : `give 'taskwarden queue retry ${params.id} --after ID'`;
      return failure(ErrorCodes.Conflict, `${blocked.message}; nothing was pushed: ${way} (--after with the ids it should wait for)`);
    }
  }
  const result = push(part, {
    queue: ended.queue,
    items: [
      {
        cmd: ended.cmd,
        ...(ended.cwd !== null ? { cwd: ended.cwd } : {}),
        env: ended.env,
        after,
        ...(params.newId ? { id: params.newId } : {}),
      },
    ],
  });
  if (result instanceof Object && 'ids' in result) return { id: result.ids[0]! };
  return result;
}

/**
 * Why a retry cannot keep its item's dependencies, in the words a push's item would fail with
 * ("dependency ID failed", "dependency ID not found"); null when each is queued, running or
 * ended with state 2.
 */
function blockedDependency(part: QueuesPart, after: readonly string[]): { id: string; failed: boolean; message: string } | null {
  for (const id of after) {
    if (part.live.has(id)) continue;
    const ended = part.store.lastOf(id);
    if (ended === null) return { id, failed: false, message: `dependency ${id} not found (no longer in the history)` };
    if (ended.state !== 2)
      return { id, failed: true, message: `dependency ${id} failed${ended.error === null ? '' : ` (${ended.error})`}` };
  }
  return null;
}

export function move(part: QueuesPart, params: MoveQueueItemParams): void | RpcFailure {
  const entry = part.live.get(params.id);
  if (!entry || entry.state !== 0) return failure(ErrorCodes.NotFound, `no queued item '${params.id}'`);
  if ((params.first === true) === (params.before !== undefined))
    return failure(ErrorCodes.InvalidParams, 'give exactly one of --first and --before ID');
  const queue = part.queues.get(entry.queue)!;
  let target = 0;
  if (params.before !== undefined) {
    const other = part.live.get(params.before);
    if (!other || other.state !== 0 || other.queue !== entry.queue)
      return failure(ErrorCodes.NotFound, `no queued item '${params.before}' in queue '${entry.queue}'`);
    if (other === entry) return;
  }
  const order = queue.queued.slice();
  order.splice(order.indexOf(entry), 1);
  if (params.before !== undefined) target = order.indexOf(part.live.get(params.before)!);
  order.splice(target, 0, entry);
  const misordered = orderProblem(order);
  if (misordered !== null) return failure(ErrorCodes.Conflict, `${misordered}; nothing was moved`);
  queue.queued.remove(entry);
  const next = queue.queued.at(target);
  const previous = target > 0 ? queue.queued.at(target - 1) : undefined;
  entry.pos = next === undefined ? entry.pos : previous === undefined ? next.pos - 1 : (previous.pos + next.pos) / 2;
  queue.queued.insert(target, entry);
  part.store.move(entry.id, entry.pos);
  part.publish({ kind: 'reordered', queue: entry.queue });
  part.schedule(entry.queue);
}

export function setPaused(part: QueuesPart, name: string, paused: boolean): QueueSummary | RpcFailure {
  // With settings.queues_auto a queue can be paused before its first push (pause, push a batch, resume).
  const queue = part.queueFor(name, true);
  if (!queue) return unknownQueue(part, name);
  queue.paused = paused;
  part.store.setPaused(name, paused);
  const summary = part.summary(queue);
  part.publish({ kind: 'queues', queues: [summary] });
  if (!paused) part.schedule(name);
  return summary;
}

export function clear(part: QueuesPart, name: string): { removed: number } | RpcFailure {
  const queue = part.queueFor(name, false);
  if (!queue) return part.config.auto ? { removed: 0 } : unknownQueue(part, name);
  const removed = queue.queued.clear();
  for (const entry of removed) {
    part.live.delete(entry.id);
    part.dropPrepared(entry);
  }
  part.store.remove(removed.map((entry) => entry.id));
  part.publish({ kind: 'removed', ids: removed.map((entry) => entry.id) });
  part.publish({ kind: 'queues', queues: [part.summary(queue)] });
  part.removed(removed.map((entry) => entry.id));
  part.scheduleWaitingOn(removed.map((entry) => entry.id));
  part.checkEmpty(queue);
  return { removed: removed.length };
}

export function wait(part: QueuesPart, params: WaitQueueItemParams): Promise<QueueItem | RpcFailure> {
  const live = part.live.get(params.id);
  if (!live) return Promise.resolve(show(part, params.id));
  if (params.start && live.state === 1 && live.pid !== null) return Promise.resolve(live.record());
  return new Promise((resolve) => {
    if (params.start) part.whenStarted(params.id, () => resolve(show(part, params.id)));
    part.whenEnded(params.id, (item) => resolve(item));
    part.whenRemoved(params.id, () => resolve(failure(ErrorCodes.NotFound, `item '${params.id}' was removed before it ran`)));
  });
}

export function waitEmpty(part: QueuesPart, name: string): Promise<void | RpcFailure> {
  const queue = part.queueFor(name, false);
  // An automatic queue that does not exist yet is empty.
  if (!queue) return Promise.resolve(part.config.auto ? undefined : unknownQueue(part, name));
  if (queue.queued.length + queue.running.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const again = (): void => {
      if (queue.queued.length + queue.running.size === 0) resolve();
      else part.whenEmpty(name, again);
    };
    part.whenEmpty(name, again);
  });
}
