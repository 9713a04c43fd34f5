/**
 * Queues messages (process-queue's FIFO command queues): push items, list queues and
 * their items, read history a page at a time, show one item, remove, kill, retry,
 * move, pause, resume, clear, wait, and the deltas the agent pushes on the `queues`
 * topic. Times are milliseconds since the epoch on the agent's clock.
 */
import { RequestType } from 'vscode-jsonrpc';

/** process-queue's item state: 0 queued, 1 running, 2 done (exit 0), -1 error. */
export type QueueItemState = 0 | 1 | 2 | -1;

export const QUEUE_ITEM_QUEUED = 0 as const;
export const QUEUE_ITEM_RUNNING = 1 as const;
export const QUEUE_ITEM_DONE = 2 as const;
export const QUEUE_ITEM_ERROR = -1 as const;

/** What an item actually ran with, after expansion (env: only what the queue and item added). */
export interface QueueItemFinal {
  readonly cmd: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** One item of a queue, queued, running or finished (process-queue's record, plus the queue and position). */
export interface QueueItem {
  readonly id: string;
  readonly queue: string;
  readonly state: QueueItemState;
  /** The command as pushed (before expansion). */
  readonly cmd: readonly string[];
  /** The cwd as pushed (null: the queue's workdir). */
  readonly cwd: string | null;
  /** The env as pushed (the item's own variables). */
  readonly env: Readonly<Record<string, string>>;
  /** Ids this item waits for (each must end with state 2). */
  readonly after: readonly string[];
  readonly pid: number | null;
  /** Exit code; a negative signal number when a signal ended it (-9 for kill); null while queued/running or unknown. */
  readonly exit: number | null;
  /** Number of stderr lines. */
  readonly stderr: number;
  /** Why it failed ("Invalid exit code 1", "Invalid command: …", "Invalid working directory: …", a spawn error). */
  readonly error: string | null;
  readonly warnings: readonly string[];
  readonly killed: boolean;
  readonly timeQueue: number;
  readonly timeStart: number | null;
  readonly timeEnd: number | null;
  /** Null until it ran (or failed to expand). */
  readonly final: QueueItemFinal | null;
  /** The captured output files; null until it ran. */
  readonly stdoutFile: string | null;
  readonly stderrFile: string | null;
}

/** One queue with its counts. */
export interface QueueSummary {
  readonly name: string;
  /** Absolute workdir. */
  readonly workdir: string;
  readonly concurrency: number;
  readonly paused: boolean;
  readonly queued: number;
  readonly running: number;
  /** Finished items in history: state 2, and state -1 (killed included). */
  readonly done: number;
  readonly failed: number;
  /** Created by `settings.queues_auto` rather than written in the config. */
  readonly auto: boolean;
}

export interface ListQueuesResult {
  readonly now: number;
  readonly queues: readonly QueueSummary[];
}

/** CLI/extension → agent: every queue (configured or auto-created) with its counts. */
export namespace ListQueuesRequest {
  export const method = 'taskwarden/queues/list' as const;
  export const type = new RequestType<Record<string, never>, ListQueuesResult, void>(method);
}

export interface QueueItemsParams {
  /** One queue; default all. */
  readonly queue?: string;
  /** At most this many queued items per queue (running ones always come); default all. */
  readonly limit?: number;
}

export interface QueueItemsResult {
  readonly now: number;
  /** Running items first (by start), then queued items in the order they will start. */
  readonly items: readonly QueueItem[];
  /** Queued items per queue, including those past `limit`. */
  readonly queuedTotal: Readonly<Record<string, number>>;
}

/** CLI/extension → agent: queued and running items, in order. */
export namespace QueueItemsRequest {
  export const method = 'taskwarden/queues/items' as const;
  export const type = new RequestType<QueueItemsParams, QueueItemsResult, void>(method);
}

/**
 * CLI → agent: the same items as `items`, as process-queue's records (`time-queue`…). The agent
 * sends the array pre-encoded (preEncoded.ts): `queue list --json` writes its bytes out as they
 * come instead of parsing and re-writing thousands of objects; other clients get the array.
 */
export namespace QueueItemsJsonRequest {
  export const method = 'taskwarden/queues/itemsJson' as const;
  export const type = new RequestType<QueueItemsParams, readonly Record<string, unknown>[], void>(method);
}

export interface QueueHistoryParams {
  readonly queue?: string;
  /** Default 50. */
  readonly limit?: number;
  /** Paging: only entries that ended before this cursor (a `nextCursor` from a previous page). */
  readonly before?: string;
}

export interface QueueHistoryResult {
  /** Most recent end first. */
  readonly items: readonly QueueItem[];
  /** Pass as `before` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** CLI/extension → agent: finished items, most recent first, a page at a time. */
export namespace QueueHistoryRequest {
  export const method = 'taskwarden/queues/history' as const;
  export const type = new RequestType<QueueHistoryParams, QueueHistoryResult, void>(method);
}

/** CLI/extension → agent: one item (live, or from history once finished); NotFound otherwise. */
export namespace ShowQueueItemRequest {
  export const method = 'taskwarden/queues/show' as const;
  export const type = new RequestType<{ readonly id: string }, QueueItem, void>(method);
}

export interface PushItemSpec {
  /** The command as argv (no shell); `{NAME}` expands from the queue env then the item env. */
  readonly cmd: readonly string[];
  /** Generated when absent; refused (Conflict) when an item of this id is queued or running. */
  readonly id?: string;
  /** Relative to the queue workdir (must stay inside it). */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Start only after these items ended with state 2; fail with "dependency ID failed" otherwise. */
  readonly after?: readonly string[];
}

export interface PushItemsParams {
  readonly queue: string;
  /** Pushed in order, all or none. */
  readonly items: readonly PushItemSpec[];
}

export interface PushItemsResult {
  readonly ids: readonly string[];
}

/**
 * CLI/extension → agent: push items at the end of a queue, atomically. Fails with
 * NotFound (unknown queue, listing the known ones), Conflict (duplicate id; an id coming back
 * that queued items wait for behind it or in a cycle) or InvalidParams (an empty command, an id
 * starting with '-', an --after naming no known item or a failed one; the message names the
 * item's index). A failure about one
 * item carries `data: {item}`, its index from 0 (the CLI names the --stdin line).
 */
export namespace PushItemsRequest {
  export const method = 'taskwarden/queues/push' as const;
  export const type = new RequestType<PushItemsParams, PushItemsResult, void>(method);
}

/** CLI/extension → agent: remove a queued item (Conflict when it is running: use kill). */
export namespace RemoveQueueItemRequest {
  export const method = 'taskwarden/queues/remove' as const;
  export const type = new RequestType<{ readonly id: string }, { readonly id: string }, void>(method);
}

export interface KillQueueItemResult {
  readonly id: string;
  /** A queued item was removed, or a running one killed (recorded killed, exit -9). */
  readonly was: 'queued' | 'running';
}

/** CLI/extension → agent: remove-or-kill; resolves once the end is recorded. */
export namespace KillQueueItemRequest {
  export const method = 'taskwarden/queues/kill' as const;
  export const type = new RequestType<{ readonly id: string }, KillQueueItemResult, void>(method);
}

export interface RetryQueueItemParams {
  readonly id: string;
  readonly newId?: string;
  /**
   * The new item's dependencies (`--after`); without it, the finished item's own. Those are
   * refused (Conflict, saying which and how to go on) when one is gone or did not end well.
   */
  readonly after?: readonly string[];
}

/** CLI/extension → agent: push a finished item again (same queue, cmd, cwd, env, after) under a new id. */
export namespace RetryQueueItemRequest {
  export const method = 'taskwarden/queues/retry' as const;
  export const type = new RequestType<RetryQueueItemParams, { readonly id: string }, void>(method);
}

export interface MoveQueueItemParams {
  readonly id: string;
  /** Exactly one of `first` and `before`. */
  readonly first?: boolean;
  readonly before?: string;
}

/** CLI/extension → agent: reorder a queued item within its queue. */
export namespace MoveQueueItemRequest {
  export const method = 'taskwarden/queues/move' as const;
  export const type = new RequestType<MoveQueueItemParams, void, void>(method);
}

/** CLI/extension → agent: nothing new starts in this queue; running items go on. */
export namespace PauseQueueRequest {
  export const method = 'taskwarden/queues/pause' as const;
  export const type = new RequestType<{ readonly queue: string }, QueueSummary, void>(method);
}

export namespace ResumeQueueRequest {
  export const method = 'taskwarden/queues/resume' as const;
  export const type = new RequestType<{ readonly queue: string }, QueueSummary, void>(method);
}

/** CLI/extension → agent: remove every queued item of a queue. */
export namespace ClearQueueRequest {
  export const method = 'taskwarden/queues/clear' as const;
  export const type = new RequestType<{ readonly queue: string }, { readonly removed: number }, void>(method);
}

export interface WaitQueueItemParams {
  readonly id: string;
  /** Resolve once it started (or already ended) instead of at its end. */
  readonly start?: boolean;
}

/** CLI → agent: wait for an item's start or end; resolves with its record. */
export namespace WaitQueueItemRequest {
  export const method = 'taskwarden/queues/wait' as const;
  export const type = new RequestType<WaitQueueItemParams, QueueItem, void>(method);
}

/** CLI → agent: wait until nothing is queued or running in a queue (items pushed meanwhile count). */
export namespace WaitQueueEmptyRequest {
  export const method = 'taskwarden/queues/waitEmpty' as const;
  export const type = new RequestType<{ readonly queue: string }, void, void>(method);
}

/**
 * The `delta` of a StateChanged notification on the `queues` topic:
 * - `queues`: these queues' summaries changed (counts, paused, config); replace by name.
 * - `queuesRemoved`: these queues left the config.
 * - `items`: these items were pushed (at the end of their queue) or started; replace by id.
 * - `reordered`: a queue's queued items changed order (move); refetch its items.
 * - `removed`: these queued items went away without running.
 * - `ended`: an item finished; it leaves the live list and heads the history.
 */
export type QueuesDelta =
  | { readonly kind: 'queues'; readonly queues: readonly QueueSummary[] }
  | { readonly kind: 'queuesRemoved'; readonly names: readonly string[] }
  | { readonly kind: 'items'; readonly items: readonly QueueItem[] }
  | { readonly kind: 'reordered'; readonly queue: string }
  | { readonly kind: 'removed'; readonly ids: readonly string[] }
  | { readonly kind: 'ended'; readonly item: QueueItem };
