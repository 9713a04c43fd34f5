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
import type { QueueItem } from '../protocol/queues';
import type { ItemSpec } from './queueEntry';

export interface LiveRow {
  readonly id: string;
  readonly queue: string;
  readonly pos: number;
  readonly state: 0 | 1;
  readonly spec: ItemSpec;
  readonly timeQueue: number;
  readonly run: RunRow | null;
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
  /** Takes a queued item for this host; false when someone else took or removed it. */
  claim(id: string): boolean;
  recordStart(id: string, run: RunRow): void;
  recordEnd(item: QueueItem): void;
  remove(ids: readonly string[]): void;
  move(id: string, pos: number): void;
  setPaused(queue: string, paused: boolean): void;
  /** Deletes all but the newest `keep` history rows of a queue; returns the deleted records. */
  trimHistory(queue: string, keep: number): QueueItem[];
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
  private readonly startStatement;
  private readonly deleteStatement;
  private readonly historyStatement;
  private readonly moveStatement;
  private readonly beyondStatement;
  private readonly trimStatement;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO queue_items (id, queue, pos, state, spec, time_queue) VALUES (?, ?, ?, 0, ?, ?)');
    this.claimStatement = db.prepare('UPDATE queue_items SET state = 1 WHERE id = ? AND state = 0');
    this.startStatement = db.prepare('UPDATE queue_items SET run = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM queue_items WHERE id = ?');
    this.historyStatement = db.prepare('INSERT INTO queue_history (id, queue, record) VALUES (?, ?, ?)');
    this.moveStatement = db.prepare('UPDATE queue_items SET pos = ? WHERE id = ?');
    this.beyondStatement = db.prepare('SELECT seq, record FROM queue_history WHERE queue = ? ORDER BY seq DESC LIMIT -1 OFFSET ?');
    this.trimStatement = db.prepare('DELETE FROM queue_history WHERE queue = ? AND seq <= ?');
  }

  push(items: readonly NewItem[]): void {
    this.db.transaction(() => {
      for (const item of items) this.insert.run(item.id, item.queue, item.pos, JSON.stringify(item.spec), item.timeQueue);
    })();
  }

  claim(id: string): boolean {
    return this.claimStatement.run(id).changes === 1;
  }

  recordStart(id: string, run: RunRow): void {
    this.startStatement.run(JSON.stringify(run), id);
  }

  recordEnd(item: QueueItem): void {
    this.db.transaction(() => {
      this.historyStatement.run(item.id, item.queue, JSON.stringify(item));
      this.deleteStatement.run(item.id);
    })();
  }

  remove(ids: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.deleteStatement.run(id);
    })();
  }

  move(id: string, pos: number): void {
    this.moveStatement.run(pos, id);
  }

  trimHistory(queue: string, keep: number): QueueItem[] {
    return this.db.transaction(() => {
      const rows = this.beyondStatement.all(queue, keep) as { seq: number; record: string }[];
      const newest = rows[0];
      if (newest === undefined) return [];
      this.trimStatement.run(queue, newest.seq);
      return rows.map((row) => JSON.parse(row.record) as QueueItem);
    })();
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
    return rows.map((row) => ({
      id: row.id,
      queue: row.queue,
      pos: row.pos,
      state: row.state,
      spec: JSON.parse(row.spec) as ItemSpec,
      timeQueue: row.time_queue,
      run: row.run === null ? null : (JSON.parse(row.run) as RunRow),
    }));
  }

  /** The latest history record of an id. */
  lastOf(id: string): QueueItem | null {
    const row = this.db.prepare('SELECT record FROM queue_history WHERE id = ? ORDER BY seq DESC LIMIT 1').get(id) as
      { record: string } | undefined;
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
