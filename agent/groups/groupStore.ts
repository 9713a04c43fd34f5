/**
 * The groups part's rows (migrations.ts): a group's state that outlives the
 * agent (stopped by a user, live params, rounds, tasklet status, the runner's
 * run record) and its bounded round history. Statements are prepared once;
 * each write is one synchronous statement or transaction. Round ends, many a
 * second with many groups, are written together: one transaction per turn of
 * the event loop (a group's state row once, with its last round), flushed before
 * any other write or read so the order stays the callers'.
 */
import type { Db } from '../store/database';
import type { GroupParams, GroupRound, TaskletStatus } from '../protocol/groups';
import type { RunRecord } from '../proc/supervisedRun';

export interface StoredGroup {
  readonly name: string;
  readonly stopped: boolean;
  readonly params: GroupParams | null;
  readonly paramsAt: number | null;
  /** The params file's text the params were last read from. */
  readonly paramsText: string | null;
  readonly rounds: number;
  readonly lastRoundAt: number | null;
  readonly tasklets: readonly TaskletStatus[];
  readonly run: RunRecord | null;
}

interface Row {
  name: string;
  stopped: number;
  params: string | null;
  params_at: number | null;
  params_text: string | null;
  rounds: number;
  last_round_at: number | null;
  tasklets: string;
  run: string | null;
}

interface PendingRound {
  readonly round: GroupRound;
  readonly params: GroupParams;
  readonly rounds: number;
  readonly tasklets: readonly TaskletStatus[];
  readonly keep: number;
}

export class GroupStore {
  private readonly statements;
  private readonly pending: PendingRound[] = [];
  private flushScheduled = false;

  constructor(private readonly db: Db) {
    this.statements = {
      all: db.prepare('SELECT * FROM group_state'),
      ensure: db.prepare('INSERT OR IGNORE INTO group_state (name) VALUES (?)'),
      stopped: db.prepare('UPDATE group_state SET stopped = ? WHERE name = ?'),
      params: db.prepare('UPDATE group_state SET params = ?, params_at = ? WHERE name = ?'),
      paramsFile: db.prepare('UPDATE group_state SET params = ?, params_at = ?, params_text = ? WHERE name = ?'),
      run: db.prepare('UPDATE group_state SET run = ? WHERE name = ?'),
      roundEnd: db.prepare('UPDATE group_state SET params = ?, params_at = ?, rounds = ?, last_round_at = ?, tasklets = ? WHERE name = ?'),
      tasklets: db.prepare('UPDATE group_state SET tasklets = ? WHERE name = ?'),
      insertRound: db.prepare('INSERT INTO group_rounds (name, round, record) VALUES (?, ?, ?)'),
      trim: db.prepare(
        'DELETE FROM group_rounds WHERE name = ? AND seq <= (SELECT seq FROM group_rounds WHERE name = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)',
      ),
      history: db.prepare('SELECT record FROM group_rounds WHERE name = ? ORDER BY seq DESC LIMIT ?'),
    };
  }

  loadAll(): StoredGroup[] {
    this.flush();
    return (this.statements.all.all() as Row[]).map((row) => ({
      name: row.name,
      stopped: row.stopped !== 0,
      params: row.params === null ? null : (JSON.parse(row.params) as GroupParams),
      paramsAt: row.params_at,
      paramsText: row.params_text,
      rounds: row.rounds,
      lastRoundAt: row.last_round_at,
      tasklets: JSON.parse(row.tasklets) as TaskletStatus[],
      run: row.run === null ? null : (JSON.parse(row.run) as RunRecord),
    }));
  }

  ensure(name: string): void {
    this.flush();
    this.statements.ensure.run(name);
  }

  setStopped(name: string, stopped: boolean): void {
    this.ensure(name);
    this.statements.stopped.run(stopped ? 1 : 0, name);
  }

  /** Params read from the file (with its text). */
  setParamsFromFile(name: string, params: GroupParams, at: number, text: string | null): void {
    this.ensure(name);
    this.statements.paramsFile.run(JSON.stringify(params), at, text, name);
  }

  setRun(name: string, run: RunRecord | null): void {
    this.ensure(name);
    this.statements.run.run(run === null ? null : JSON.stringify(run), name);
  }

  setTasklets(name: string, tasklets: readonly TaskletStatus[]): void {
    this.flush();
    this.statements.tasklets.run(JSON.stringify(tasklets), name);
  }

  /** A round's end: its history row (the oldest past `keep` go), the params, counts and tasklet status; written at the end of this turn. */
  recordRound(round: GroupRound, params: GroupParams, rounds: number, tasklets: readonly TaskletStatus[], keep: number): void {
    this.pending.push({ round, params, rounds, tasklets, keep });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      // Closed meanwhile (the agent stopped, having flushed): nothing can be written any more.
      if (this.db.open) this.flush();
    });
  }

  /** Writes the round ends not written yet, in one transaction. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    const latest = new Map(batch.map((entry) => [entry.round.group, entry]));
    this.db.transaction(() => {
      for (const { round } of batch) this.statements.insertRound.run(round.group, round.round, JSON.stringify(round));
      for (const [group, entry] of latest) {
        this.statements.trim.run(group, group, entry.keep);
        this.statements.roundEnd.run(
          JSON.stringify(entry.params),
          entry.round.endedAt,
          entry.rounds,
          entry.round.startedAt,
          JSON.stringify(entry.tasklets),
          group,
        );
      }
    })();
  }

  history(name: string, limit: number): GroupRound[] {
    this.flush();
    return (this.statements.history.all(name, limit) as { record: string }[]).map((row) => JSON.parse(row.record) as GroupRound);
  }
}
