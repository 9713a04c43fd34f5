/**
 * The daemons part's rows in the workspace store (see migration 0002): what a
 * later agent needs to adopt running instances and to remember holds, restart
 * counts and finished `once` runs. Statements are prepared once; every write is
 * a single synchronous statement (no await inside a transaction).
 */
import type { RunRecord } from '../proc/supervisedRun';
import { immediate, type Db } from '../store/database';

/**
 * One row of `daemon_instances`. Its run is the supervised run's own record
 * (agent/proc/supervisedRun.ts), kept in the columns migration 2 made for it
 * (pid, start_time, started_at, out_offset, err_offset), so rows an older agent
 * wrote are read as they are.
 */
export interface InstanceRow {
  readonly id: string;
  readonly task: string;
  readonly instance: number;
  /** The live process; null when none runs. */
  readonly run: RunRecord | null;
  readonly fingerprint: string | null;
  readonly ready: boolean;
  readonly restarts: number;
  readonly hold: 'user' | 'crashloop' | null;
  readonly completedAt: number | null;
  readonly lastExitCode: number | null;
  readonly lastExitSignal: string | null;
  readonly lastExitAt: number | null;
  readonly lastExitReason: string | null;
}

/** One row of `daemon_exits`. */
export interface ExitRow {
  readonly daemon: string;
  readonly pid: number | null;
  readonly startedAt: number | null;
  readonly exitedAt: number;
  readonly code: number | null;
  readonly signal: string | null;
  readonly reason: string | null;
}

interface RawRow {
  id: string;
  task: string;
  instance: number;
  pid: number | null;
  start_time: number | null;
  started_at: number | null;
  fingerprint: string | null;
  ready: number;
  restarts: number;
  hold: 'user' | 'crashloop' | null;
  completed_at: number | null;
  last_exit_code: number | null;
  last_exit_signal: string | null;
  last_exit_at: number | null;
  last_exit_reason: string | null;
  out_offset: number;
  err_offset: number;
}

/** Exit history kept per daemon. */
const EXITS_KEPT = 50;
/** Rows and exits are written in one transaction this long after the first change of a batch. */
const WRITE_BATCH_MS = 50;

/** The run a row names: pid and start time together, as every agent wrote them. */
function runOf(row: RawRow): RunRecord | null {
  if (row.pid === null || row.start_time === null) return null;
  return {
    pid: row.pid,
    startTicks: row.start_time,
    startedAt: row.started_at ?? Date.now(),
    outOffset: row.out_offset,
    errOffset: row.err_offset,
  };
}

/** The named parameters of the upsert. */
function columnsOf(row: InstanceRow, updatedAt: number): Record<string, string | number | null> {
  const { run, ...rest } = row;
  return {
    ...rest,
    ready: row.ready ? 1 : 0,
    pid: run?.pid ?? null,
    startTime: run?.startTicks ?? null,
    startedAt: run?.startedAt ?? null,
    outOffset: run?.outOffset ?? 0,
    errOffset: run?.errOffset ?? 0,
    updatedAt,
  };
}

export class DaemonStore {
  private readonly selectAll;
  private readonly upsert;
  private readonly remove;
  private readonly removeAll;
  private readonly insertExit;
  private readonly trimExits;
  private readonly selectExits;
  private readonly pendingRows = new Map<string, InstanceRow>();
  private readonly pendingExits: ExitRow[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    /** Reports a batched write that failed (the rows are lost, the agent runs on). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.selectAll = db.prepare('SELECT * FROM daemon_instances ORDER BY task, instance');
    this.upsert = db.prepare(`INSERT INTO daemon_instances
      (id, task, instance, pid, start_time, started_at, fingerprint, ready, restarts, hold, completed_at,
       last_exit_code, last_exit_signal, last_exit_at, last_exit_reason, out_offset, err_offset, updated_at)
      VALUES (@id, @task, @instance, @pid, @startTime, @startedAt, @fingerprint, @ready, @restarts, @hold, @completedAt,
       @lastExitCode, @lastExitSignal, @lastExitAt, @lastExitReason, @outOffset, @errOffset, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, start_time = excluded.start_time, started_at = excluded.started_at,
       fingerprint = excluded.fingerprint, ready = excluded.ready, restarts = excluded.restarts, hold = excluded.hold,
       completed_at = excluded.completed_at, last_exit_code = excluded.last_exit_code, last_exit_signal = excluded.last_exit_signal,
       last_exit_at = excluded.last_exit_at, last_exit_reason = excluded.last_exit_reason, out_offset = excluded.out_offset,
       err_offset = excluded.err_offset, updated_at = excluded.updated_at`);
    this.remove = db.prepare('DELETE FROM daemon_instances WHERE id = ?');
    this.removeAll = db.prepare('DELETE FROM daemon_instances');
    this.insertExit = db.prepare(`INSERT INTO daemon_exits (daemon, pid, started_at, exited_at, code, signal, reason)
      VALUES (@daemon, @pid, @startedAt, @exitedAt, @code, @signal, @reason)`);
    this.trimExits = db.prepare(`DELETE FROM daemon_exits WHERE daemon = ? AND id <= (
      SELECT id FROM daemon_exits WHERE daemon = ? ORDER BY id DESC LIMIT 1 OFFSET ${EXITS_KEPT})`);
    this.selectExits = db.prepare(`SELECT daemon, pid, started_at AS startedAt, exited_at AS exitedAt, code, signal, reason
      FROM daemon_exits WHERE daemon = ? ORDER BY id`);
  }

  /** The exits kept of one instance, oldest first (those not written yet included). */
  exitsOf(daemon: string): ExitRow[] {
    this.flush();
    return this.selectExits.all(daemon) as ExitRow[];
  }

  /** Every saved instance. */
  load(): InstanceRow[] {
    this.flush();
    return (this.selectAll.all() as RawRow[]).map((row) => ({
      id: row.id,
      task: row.task,
      instance: row.instance,
      run: runOf(row),
      fingerprint: row.fingerprint,
      ready: row.ready === 1,
      restarts: row.restarts,
      hold: row.hold,
      completedAt: row.completed_at,
      lastExitCode: row.last_exit_code,
      lastExitSignal: row.last_exit_signal,
      lastExitAt: row.last_exit_at,
      lastExitReason: row.last_exit_reason,
    }));
  }

  /**
   * Saves an instance's row. Writes are batched: rows and exits changed within
   * WRITE_BATCH_MS go to the store in one transaction, so a restart or a start of
   * 50 daemons costs one commit, not one per process. An agent killed within the
   * batch delay loses those rows; the next agent still finds the processes by
   * their environment marker (adoption.ts).
   */
  save(row: InstanceRow): void {
    this.pendingRows.set(row.id, row);
    this.scheduleFlush();
  }

  delete(id: string): void {
    this.pendingRows.delete(id);
    this.remove.run(id);
  }

  /** Forgets every instance (the agent stopped them all). */
  clear(): void {
    this.pendingRows.clear();
    this.flush();
    this.removeAll.run();
  }

  /** Records how a process ended (written with the next batch). */
  recordExit(exit: ExitRow): void {
    this.pendingExits.push(exit);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      try {
        this.flush();
      } catch (error: unknown) {
        this.onError(error);
      }
    }, WRITE_BATCH_MS);
    this.timer.unref();
  }

  /** Writes everything saved since the last flush, in one transaction. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingRows.size === 0 && this.pendingExits.length === 0) return;
    const rows = [...this.pendingRows.values()];
    const exits = this.pendingExits.splice(0);
    this.pendingRows.clear();
    const updatedAt = Date.now();
    immediate(this.db, () => {
      for (const row of rows) this.upsert.run(columnsOf(row, updatedAt));
      for (const exit of exits) this.insertExit.run(exit);
      for (const daemon of new Set(exits.map((exit) => exit.daemon))) this.trimExits.run(daemon, daemon);
    });
  }
}
