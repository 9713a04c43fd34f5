/**
 * The queues' store operations behind one small contract (QueueLedger): push
 * (atomic), claim (queued → running, a claim that cannot be taken twice: the
 * row changes only if it is still queued), record start, record end (history row
 * written and live row deleted in one transaction), remove, move, pause, trim
 * the history to a queue's `history_limit`. A
 * shared PostgreSQL store could implement the same contract for several hosts
 * (claim = UPDATE … WHERE state = 0 RETURNING); this one is the workspace's SQLite file.
 */
import type { Db } from '../store/database';
import type { QueueItem } from './protocol';
import type { ItemSpec } from './queueEntry';

/**
 * How long a start row may wait for a transaction to ride with: most short items end sooner
 * and never need one (one commit per item instead of two). An agent that dies meanwhile leaves a
 * claimed row without it; the next agent finds the item's process by its mark (queuesPart.ts).
 */
export const START_ROW_DELAY_MS = 20;

export interface LiveRow {
  readonly id: string;
  readonly queue: string;
  readonly pos: number;
  readonly state: 0 | 1;
  readonly spec: ItemSpec;
  readonly timeQueue: number;
  readonly run: RunRow | null;
  /** Claimed as a chained start (handed to the spawn helper to start when this item's process ends); null otherwise. */
  readonly chainedAfter: string | null;
}

/** What a running item's row carries for adoption. */
export interface RunRow {
  readonly pid: number;
  readonly startTicks: number;
  readonly startedAt: number;
  readonly stdoutFile: string;
  readonly stderrFile: string;
  readonly final: QueueItem['final'];
}

export interface NewItem {
  readonly id: string;
  readonly queue: string;
  readonly pos: number;
  readonly spec: ItemSpec;
  readonly timeQueue: number;
}

export interface QueueLedger {
  push(items: readonly NewItem[]): void;
  /** Takes a queued item for this host; false when someone else took or removed it. Committed before it returns unless inside `transaction`. */
  claim(id: string): boolean;
  /** Claims a queued item handed to the spawn helper to start once `after`'s process ends; false as for `claim`. */
  claimChained(id: string, after: string): boolean;
  /** A chained claim that did not start (cancelled): the item is queued again. */
  unclaim(id: string): void;
  /** Records what a running item's adoption needs; may wait for the next transaction or START_ROW_DELAY_MS. */
  recordStart(id: string, run: RunRow): void;
  recordEnd(item: QueueItem): void;
  /** Runs `writes` in one transaction (an end, the trim and the next claims: one commit), with the start rows still pending. */
  transaction<T>(writes: () => T): T;
  remove(ids: readonly string[]): void;
  move(id: string, pos: number): void;
  setPaused(queue: string, paused: boolean): void;
  /** Deletes the `count` oldest history rows of a queue but those of the `keep` ids; returns the deleted records. */
  trimHistory(queue: string, count: number, keep?: ReadonlySet<string>): QueueItem[];
}

interface RawLive {
  id: string;
  queue: string;
  pos: number;
  state: 0 | 1;
  spec: string;
  time_queue: number;
  run: string | null;
}

export class QueueStore implements QueueLedger {
  private readonly insert;
  private readonly claimStatement;
  private readonly claimChainedStatement;
  private readonly unclaimStatement;
  private readonly startStatement;
  private readonly deleteStatement;
  private readonly historyStatement;
  private readonly moveStatement;
  private readonly oldestStatement;
  private readonly trimStatement;
  private readonly lastStatement;
  /** `transaction`'s wrapper, made once (better-sqlite3 builds a function per `db.transaction` call). */
  private readonly inTransaction;
  private readonly oldestKeepingStatement;
  private readonly trimOneStatement;
  /**
   * Start rows not written yet: written with the next transaction (the next claim, another end),
   * else START_ROW_DELAY_MS later. An item that ends first never gets one (its row goes).
   */
  private readonly pendingStarts = new Map<string, RunRow>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO queue_items (id, queue, pos, state, spec, time_queue) VALUES (?, ?, ?, 0, ?, ?)');
    this.claimStatement = db.prepare('UPDATE queue_items SET state = 1 WHERE id = ? AND state = 0');
    this.claimChainedStatement = db.prepare('UPDATE queue_items SET state = 1, run = ? WHERE id = ? AND state = 0');
    this.unclaimStatement = db.prepare('UPDATE queue_items SET state = 0, run = NULL WHERE id = ?');
    this.startStatement = db.prepare('UPDATE queue_items SET run = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM queue_items WHERE id = ?');
    this.historyStatement = db.prepare('INSERT INTO queue_history (id, queue, record) VALUES (?, ?, ?)');
    this.moveStatement = db.prepare('UPDATE queue_items SET pos = ? WHERE id = ?');
    // The oldest rows, from the front of the (queue, seq) index: no walk over the kept ones.
    this.oldestStatement = db.prepare('SELECT seq, record FROM queue_history WHERE queue = ? ORDER BY seq LIMIT ?');
    this.trimStatement = db.prepare('DELETE FROM queue_history WHERE queue = ? AND seq <= ?');
    this.lastStatement = db.prepare('SELECT record FROM queue_history WHERE id = ? ORDER BY seq DESC LIMIT 1');
    this.inTransaction = db.transaction((writes: () => unknown) => {
      const result = writes();
      for (const [id, run] of this.pendingStarts) this.startStatement.run(JSON.stringify(run), id);
      this.pendingStarts.clear();
      return result;
    });
    this.oldestKeepingStatement = db.prepare(
      'SELECT seq, record FROM queue_history WHERE queue = ? AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?',
    );
    this.trimOneStatement = db.prepare('DELETE FROM queue_history WHERE seq = ?');
  }

  push(items: readonly NewItem[]): void {
    this.db.transaction(() => {
      for (const item of items) this.insert.run(item.id, item.queue, item.pos, JSON.stringify(item.spec), item.timeQueue);
    })();
  }

  claim(id: string): boolean {
    return this.claimStatement.run(id).changes === 1;
  }

  claimChained(id: string, after: string): boolean {
    return this.claimChainedStatement.run(JSON.stringify({ chainedAfter: after }), id).changes === 1;
  }

  unclaim(id: string): void {
    this.pendingStarts.delete(id);
    this.unclaimStatement.run(id);
  }

  recordStart(id: string, run: RunRow): void {
    this.pendingStarts.set(id, run);
    this.flushTimer ??= setTimeout(() => this.flush(), START_ROW_DELAY_MS).unref();
  }

  transaction<T>(writes: () => T): T {
    return this.inTransaction(writes) as T;
  }

  /** Runs `writes` in a transaction of its own, or as part of the caller's (no savepoint: it is all or nothing with it). */
  private atomically<T>(writes: () => T): T {
    return this.db.inTransaction ? writes() : this.db.transaction(writes)();
  }

  /** Writes the pending start rows now (their delay is over, the agent stops). */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingStarts.size > 0) this.transaction(() => undefined);
  }

  /** The item ended: its start row, if still pending, is not written (its live row goes). */
  forgetStart(id: string): void {
    this.pendingStarts.delete(id);
  }

  recordEnd(item: QueueItem): void {
    this.pendingStarts.delete(item.id);
    this.atomically(() => {
      this.historyStatement.run(item.id, item.queue, JSON.stringify(item));
      this.deleteStatement.run(item.id);
    });
  }

  remove(ids: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.deleteStatement.run(id);
    })();
  }

  move(id: string, pos: number): void {
    this.moveStatement.run(pos, id);
  }

  trimHistory(queue: string, count: number, keep: ReadonlySet<string> = new Set()): QueueItem[] {
    if (count <= 0) return [];
    return this.atomically(() => {
      if (keep.size > 0) {
        // Rows of ids that queued items wait for stay: their ends are what those items wait on.
        const kept = this.oldestKeepingStatement.all(queue, JSON.stringify([...keep]), count) as { seq: number; record: string }[];
        for (const row of kept) this.trimOneStatement.run(row.seq);
        return kept.map((row) => JSON.parse(row.record) as QueueItem);
      }
      const rows = this.oldestStatement.all(queue, count) as { seq: number; record: string }[];
      const newest = rows.at(-1);
      if (newest === undefined) return [];
      this.trimStatement.run(queue, newest.seq);
      return rows.map((row) => JSON.parse(row.record) as QueueItem);
    });
  }

  setPaused(queue: string, paused: boolean): void {
    if (paused) this.db.prepare('INSERT OR IGNORE INTO queue_paused (queue) VALUES (?)').run(queue);
    else this.db.prepare('DELETE FROM queue_paused WHERE queue = ?').run(queue);
  }

  paused(): string[] {
    return (this.db.prepare('SELECT queue FROM queue_paused').all() as { queue: string }[]).map((row) => row.queue);
  }

  /** Every live row, in queue order. */
  loadLive(): LiveRow[] {
    const rows = this.db.prepare('SELECT * FROM queue_items ORDER BY pos').all() as RawLive[];
    return rows.map((row) => {
      const run = row.run === null ? null : (JSON.parse(row.run) as RunRow | { chainedAfter: string });
      const chained = run !== null && 'chainedAfter' in run;
      return {
        id: row.id,
        queue: row.queue,
        pos: row.pos,
        state: row.state,
        spec: JSON.parse(row.spec) as ItemSpec,
        timeQueue: row.time_queue,
        run: chained ? null : run,
        chainedAfter: chained ? run.chainedAfter : null,
      };
    });
  }

  /** The latest history record of an id. */
  lastOf(id: string): QueueItem | null {
    const row = this.lastStatement.get(id) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as QueueItem) : null;
  }

  /** Most recent first; `before` is a seq cursor. */
  history(queue: string | null, limit: number, before: number | null): { items: QueueItem[]; nextCursor: string | null } {
    const clauses: string[] = [];
    const args: (string | number)[] = [];
    if (queue !== null) {
      clauses.push('queue = ?');
      args.push(queue);
    }
    if (before !== null) {
      clauses.push('seq < ?');
      args.push(before);
    }
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT seq, record FROM queue_history ${where} ORDER BY seq DESC LIMIT ?`).all(...args, limit + 1) as {
      seq: number;
      record: string;
    }[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => JSON.parse(row.record) as QueueItem),
      nextCursor: rows.length > limit && last ? String(last.seq) : null,
    };
  }

  /** Finished counts per queue: done (state 2) and failed (state -1). */
  counts(): Map<string, { done: number; failed: number }> {
    const rows = this.db
      .prepare(
        "SELECT queue, SUM(json_extract(record, '$.state') = 2) AS done, SUM(json_extract(record, '$.state') = -1) AS failed FROM queue_history GROUP BY queue",
      )
      .all() as { queue: string; done: number; failed: number }[];
    return new Map(rows.map((row) => [row.queue, { done: row.done, failed: row.failed }]));
  }
}
