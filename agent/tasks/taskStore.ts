/**
 * The tasks part's SQLite access: every statement prepared once, one transaction
 * per state change. A task's end moves it from `tasks` to `task_history` in a
 * single transaction, so a crash leaves it in exactly one of the two.
 */
import type Database from 'better-sqlite3';
import type { TaskFeedbackValues, TaskHistoryEntry, TaskOutcome, TaskState } from './protocol';
import type { Db } from '../store/database';
import { timesFileOf } from '../proc/logTimes';

/** A row of `tasks`: a reservation, or a running task with what adoption needs. */
export interface LiveTaskRow {
  readonly id: number;
  readonly status: TaskState;
  readonly name: string | null;
  readonly unique: boolean;
  readonly info1: string | null;
  readonly info2: string | null;
  readonly info3: string | null;
  readonly reservedAt: number;
  readonly expiresAt: number | null;
  readonly argv: readonly string[] | null;
  readonly cwd: string | null;
  readonly pid: number | null;
  /** Process start time in clock ticks (/proc/<pid>/stat), the other half of its identity. */
  readonly startTicks: number | null;
  readonly startedAt: number | null;
  readonly timeoutMs: number | null;
  readonly stdoutFile: string | null;
  readonly stderrFile: string | null;
  readonly feedbackFile: string | null;
  readonly keepFeedback: boolean;
  readonly lastUpdateAt: number | null;
  readonly feedback: TaskFeedbackValues | null;
  readonly feedbackOffset: number | null;
  readonly feedbackInode: string | null;
  readonly feedbackMtime: number | null;
}

/** Where a task's feedback reading stands, saved so a new agent resumes there. */
export interface FeedbackProgress {
  readonly lastUpdateAt: number | null;
  readonly values: TaskFeedbackValues;
  readonly offset: number;
  readonly inode: string | null;
  readonly mtimeMs: number | null;
}

type SqlRow = Record<string, unknown>;

const LIVE_COLUMNS = `id, status, name, is_unique, info1, info2, info3, reserved_at, expires_at, argv, cwd, pid, start_ticks,
  started_at, timeout_ms, stdout_file, stderr_file, feedback_file, keep_feedback, last_update_at, feedback_json,
  feedback_offset, feedback_inode, feedback_mtime`;
const LIVE_PARAMS = `@id, @status, @name, @is_unique, @info1, @info2, @info3, @reserved_at, @expires_at, @argv, @cwd, @pid,
  @start_ticks, @started_at, @timeout_ms, @stdout_file, @stderr_file, @feedback_file, @keep_feedback, @last_update_at,
  @feedback_json, @feedback_offset, @feedback_inode, @feedback_mtime`;
const HISTORY_COLUMNS = `id, name, info1, info2, info3, argv, pid, outcome, exit_code, signal, error, started_at, ended_at,
  duration_ms, feedback_json, stdout_file, stderr_file`;

function json<T>(text: unknown): T | null {
  return typeof text === 'string' ? (JSON.parse(text) as T) : null;
}

function liveFromSql(row: SqlRow): LiveTaskRow {
  return {
    id: row['id'] as number,
    status: row['status'] as TaskState,
    name: row['name'] as string | null,
    unique: row['is_unique'] === 1,
    info1: row['info1'] as string | null,
    info2: row['info2'] as string | null,
    info3: row['info3'] as string | null,
    reservedAt: row['reserved_at'] as number,
    expiresAt: row['expires_at'] as number | null,
    argv: json<string[]>(row['argv']),
    cwd: row['cwd'] as string | null,
    pid: row['pid'] as number | null,
    startTicks: row['start_ticks'] as number | null,
    startedAt: row['started_at'] as number | null,
    timeoutMs: row['timeout_ms'] as number | null,
    stdoutFile: row['stdout_file'] as string | null,
    stderrFile: row['stderr_file'] as string | null,
    feedbackFile: row['feedback_file'] as string | null,
    keepFeedback: row['keep_feedback'] === 1,
    lastUpdateAt: row['last_update_at'] as number | null,
    feedback: json<TaskFeedbackValues>(row['feedback_json']),
    feedbackOffset: row['feedback_offset'] as number | null,
    feedbackInode: row['feedback_inode'] as string | null,
    feedbackMtime: row['feedback_mtime'] as number | null,
  };
}

function liveToSql(row: LiveTaskRow): SqlRow {
  return {
    id: row.id,
    status: row.status,
    name: row.name,
    is_unique: row.unique ? 1 : 0,
    info1: row.info1,
    info2: row.info2,
    info3: row.info3,
    reserved_at: row.reservedAt,
    expires_at: row.expiresAt,
    argv: row.argv === null ? null : JSON.stringify(row.argv),
    cwd: row.cwd,
    pid: row.pid,
    start_ticks: row.startTicks,
    started_at: row.startedAt,
    timeout_ms: row.timeoutMs,
    stdout_file: row.stdoutFile,
    stderr_file: row.stderrFile,
    feedback_file: row.feedbackFile,
    keep_feedback: row.keepFeedback ? 1 : 0,
    last_update_at: row.lastUpdateAt,
    feedback_json: row.feedback === null ? null : JSON.stringify(row.feedback),
    feedback_offset: row.feedbackOffset,
    feedback_inode: row.feedbackInode,
    feedback_mtime: row.feedbackMtime,
  };
}

function historyFromSql(row: SqlRow): TaskHistoryEntry {
  return {
    id: row['id'] as number,
    name: row['name'] as string | null,
    info1: row['info1'] as string | null,
    info2: row['info2'] as string | null,
    info3: row['info3'] as string | null,
    argv: json<string[]>(row['argv']) ?? [],
    pid: row['pid'] as number | null,
    outcome: row['outcome'] as TaskOutcome,
    exitCode: row['exit_code'] as number | null,
    signal: row['signal'] as string | null,
    error: row['error'] as string | null,
    start: row['started_at'] as number,
    end: row['ended_at'] as number,
    durationMs: row['duration_ms'] as number,
    feedback: json<TaskFeedbackValues>(row['feedback_json']),
    stdoutFile: row['stdout_file'] as string | null,
    stderrFile: row['stderr_file'] as string | null,
  };
}

function historyToSql(entry: TaskHistoryEntry): SqlRow {
  return {
    id: entry.id,
    name: entry.name,
    info1: entry.info1,
    info2: entry.info2,
    info3: entry.info3,
    argv: JSON.stringify(entry.argv),
    pid: entry.pid,
    outcome: entry.outcome,
    exit_code: entry.exitCode,
    signal: entry.signal,
    error: entry.error,
    started_at: entry.start,
    ended_at: entry.end,
    duration_ms: entry.durationMs,
    feedback_json: entry.feedback === null ? null : JSON.stringify(entry.feedback),
    stdout_file: entry.stdoutFile,
    stderr_file: entry.stderrFile,
  };
}

/** Output files of history rows that were deleted, for the caller to remove. */
export type RemovedFiles = readonly string[];

function prepareStatements(db: Db) {
  return {
    insertReservation: db.prepare('INSERT INTO tasks (id, status, name, is_unique, reserved_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
    saveLive: db.prepare(`INSERT OR REPLACE INTO tasks (${LIVE_COLUMNS}) VALUES (${LIVE_PARAMS})`),
    updateStatus: db.prepare('UPDATE tasks SET status = ? WHERE id = ?'),
    saveFeedback: db.prepare(
      'UPDATE tasks SET last_update_at = ?, feedback_json = ?, feedback_offset = ?, feedback_inode = ?, feedback_mtime = ? WHERE id = ?',
    ),
    deleteLive: db.prepare('DELETE FROM tasks WHERE id = ?'),
    selectLive: db.prepare(`SELECT ${LIVE_COLUMNS} FROM tasks ORDER BY id`),
    insertHistory: db.prepare(`INSERT INTO task_history (${HISTORY_COLUMNS}) VALUES (@${HISTORY_COLUMNS.split(/,\s*/).join(', @')})`),
    prunedFiles: db.prepare(
      'SELECT stdout_file, stderr_file FROM task_history WHERE id NOT IN (SELECT id FROM task_history ORDER BY ended_at DESC, id DESC LIMIT ?)',
    ),
    pruneHistory: db.prepare(
      'DELETE FROM task_history WHERE id NOT IN (SELECT id FROM task_history ORDER BY ended_at DESC, id DESC LIMIT ?)',
    ),
    historyPage: db.prepare(`SELECT ${HISTORY_COLUMNS} FROM task_history ORDER BY ended_at DESC, id DESC LIMIT ? OFFSET ?`),
    historyPageByName: db.prepare(
      `SELECT ${HISTORY_COLUMNS} FROM task_history WHERE name = ? ORDER BY ended_at DESC, id DESC LIMIT ? OFFSET ?`,
    ),
    historyCount: db.prepare('SELECT COUNT(*) AS n FROM task_history'),
    historyCountByName: db.prepare('SELECT COUNT(*) AS n FROM task_history WHERE name = ?'),
    historyEntry: db.prepare(`SELECT ${HISTORY_COLUMNS} FROM task_history WHERE id = ?`),
    allHistoryFiles: db.prepare('SELECT stdout_file, stderr_file FROM task_history'),
    clearHistory: db.prepare('DELETE FROM task_history'),
    clearLive: db.prepare('DELETE FROM tasks'),
    resetSequence: db.prepare("DELETE FROM sqlite_sequence WHERE name = 'tasks'"),
    maxId: db.prepare(`SELECT MAX(m) AS m FROM (
      SELECT seq AS m FROM sqlite_sequence WHERE name = 'tasks'
      UNION ALL SELECT MAX(id) FROM tasks UNION ALL SELECT MAX(id) FROM task_history)`),
  };
}

/** The output files of the rows, with their time indexes (proc/logTimes.ts). */
function outputFiles(rows: SqlRow[]): string[] {
  return rows
    .flatMap((row) => [row['stdout_file'], row['stderr_file']])
    .filter((file): file is string => typeof file === 'string')
    .flatMap((file) => [file, timesFileOf(file)]);
}

export class TaskStore {
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly finishTransaction: Database.Transaction<(id: number, entry: SqlRow, limit: number | null) => RemovedFiles>;
  private readonly clearTransaction: Database.Transaction<() => { removed: number; files: RemovedFiles }>;
  private readonly initializeTransaction: Database.Transaction<() => { history: number; reservations: number }>;
  private readonly saveFeedbackTransaction: Database.Transaction<(entries: readonly (readonly [number, FeedbackProgress])[]) => void>;

  constructor(db: Db) {
    const sql = prepareStatements(db);
    this.sql = sql;
    this.finishTransaction = db.transaction((id: number, entry: SqlRow, limit: number | null) => {
      sql.deleteLive.run(id);
      sql.insertHistory.run(entry);
      if (limit === null) return [];
      const pruned = outputFiles(sql.prunedFiles.all(limit) as SqlRow[]);
      if (pruned.length > 0) sql.pruneHistory.run(limit);
      return pruned;
    });
    this.clearTransaction = db.transaction(() => {
      const files = outputFiles(sql.allHistoryFiles.all() as SqlRow[]);
      return { removed: sql.clearHistory.run().changes, files };
    });
    this.initializeTransaction = db.transaction(() => {
      const history = sql.clearHistory.run().changes;
      const reservations = sql.clearLive.run().changes;
      sql.resetSequence.run();
      return { history, reservations };
    });
    this.saveFeedbackTransaction = db.transaction((entries: readonly (readonly [number, FeedbackProgress])[]) => {
      for (const [id, progress] of entries) this.saveFeedback(id, progress);
    });
  }

  /** The highest task id ever handed out (0 for none). */
  maxId(): number {
    return ((this.sql.maxId.get() as SqlRow)['m'] as number | null) ?? 0;
  }

  liveRows(): LiveTaskRow[] {
    return (this.sql.selectLive.all() as SqlRow[]).map(liveFromSql);
  }

  insertReservation(id: number, name: string | null, unique: boolean, reservedAt: number, expiresAt: number): void {
    this.sql.insertReservation.run(id, 'RESERVED', name, unique ? 1 : 0, reservedAt, expiresAt);
  }

  /** Writes a running task's whole row (a launch, or a reservation becoming a task). */
  saveLive(row: LiveTaskRow): void {
    this.sql.saveLive.run(liveToSql(row));
  }

  updateStatus(id: number, status: TaskState): void {
    this.sql.updateStatus.run(status, id);
  }

  saveFeedback(id: number, progress: FeedbackProgress): void {
    this.sql.saveFeedback.run(
      progress.lastUpdateAt,
      JSON.stringify(progress.values),
      progress.offset,
      progress.inode,
      progress.mtimeMs,
      id,
    );
  }

  /** Saves several tasks' feedback progress in one transaction (the agent leaving them running). */
  saveFeedbackAll(entries: readonly (readonly [number, FeedbackProgress])[]): void {
    this.saveFeedbackTransaction.immediate(entries);
  }

  deleteLive(id: number): void {
    this.sql.deleteLive.run(id);
  }

  /** Moves a task to the history (and prunes beyond `limit`); returns the output files of pruned rows. */
  finish(entry: TaskHistoryEntry, limit: number | null): RemovedFiles {
    return this.finishTransaction.immediate(entry.id, historyToSql(entry), limit);
  }

  /** A page of the history, most recent end first. */
  history(options: { limit: number | null; offset: number; name: string | null }): { total: number; entries: TaskHistoryEntry[] } {
    const limit = options.limit ?? -1;
    const rows =
      options.name === null
        ? this.sql.historyPage.all(limit, options.offset)
        : this.sql.historyPageByName.all(options.name, limit, options.offset);
    const count = options.name === null ? this.sql.historyCount.get() : this.sql.historyCountByName.get(options.name);
    return { total: (count as SqlRow)['n'] as number, entries: (rows as SqlRow[]).map(historyFromSql) };
  }

  historyEntry(id: number): TaskHistoryEntry | null {
    const row = this.sql.historyEntry.get(id) as SqlRow | undefined;
    return row === undefined ? null : historyFromSql(row);
  }

  clearHistory(): { removed: number; files: RemovedFiles } {
    return this.clearTransaction.immediate();
  }

  /** Empties both tables and restarts ids at 1. */
  initialize(): { history: number; reservations: number } {
    return this.initializeTransaction.immediate();
  }
}
