/**
 * The groups part's rows (migrations.ts): a group's state that outlives the
 * agent (stopped by a user, live params, rounds, tasklet status, the runner's
 * run record) and its bounded round history. Statements are prepared once;
 * each write is one synchronous statement or transaction. Round ends, many a
 * second with many groups, are written together, at most every FLUSH_MS, in one
 * transaction (a group's state row once, with its last round): a commit costs
 * more than its rows (measured: 20 groups at 1 s, one transaction per round end
 * was ~2 % of a core in the agent). They are flushed before any other write or
 * read, so the order stays the callers', and when the part stops; an agent that
 * crashes meanwhile loses no round a runner reported (the runner sends again
 * what came after the last round stored, runner/agentLink.ts), only the rounds
 * it recorded itself in the last FLUSH_MS (a runner that died in a round). A group's tasklet status
 * (~270 bytes a tasklet, more than its round's record) is written at most every
 * TASKLETS_SAVE_MS or half its history, and when the part stops: loading replays
 * the recorded rounds since onto it (applying a round is last-writer-wins per
 * field, so replaying rounds it already holds changes nothing). A round's row
 * is its packed record (roundRecord.ts, ~1.5 kB for 100 tasklets); the params
 * are written only when a round changed them.
 */
import type { Db } from '../store/database';
import type { GroupParams, GroupRound, TaskletStatus } from '../protocol/groups';
import type { RunRecord } from '../proc/supervisedRun';
import { TaskletBoard } from './groupStatus';
import { fromStoredText, groupRoundOf, storedText, type RoundRecord } from './roundRecord';

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

const FLUSH_MS = 1000;
const TASKLETS_SAVE_MS = 30_000;
/** Rounds replayed at load start this long before the last round (the save may lag by TASKLETS_SAVE_MS). */
const REPLAY_MS = 2 * TASKLETS_SAVE_MS;

interface PendingRound {
  readonly round: RoundRecord;
  /** The params at its end, null when they did not change. */
  readonly params: GroupParams | null;
  readonly rounds: number;
  /** The group's tasklet status (asked for only when it is written). */
  readonly tasklets: () => readonly TaskletStatus[];
  readonly keep: number;
}

export class GroupStore {
  private readonly statements;
  private readonly pending: PendingRound[] = [];
  private flushScheduled = false;
  /** Per group: when its tasklet status was last written and the rounds since, and the status not written yet. */
  private readonly taskletsSaved = new Map<string, { at: number; rounds: number }>();
  private readonly unsavedTasklets = new Map<string, () => readonly TaskletStatus[]>();

  constructor(private readonly db: Db) {
    this.statements = {
      all: db.prepare('SELECT * FROM group_state'),
      ensure: db.prepare('INSERT OR IGNORE INTO group_state (name) VALUES (?)'),
      stopped: db.prepare('UPDATE group_state SET stopped = ? WHERE name = ?'),
      params: db.prepare('UPDATE group_state SET params = ?, params_at = ? WHERE name = ?'),
      paramsFile: db.prepare('UPDATE group_state SET params = ?, params_at = ?, params_text = ? WHERE name = ?'),
      run: db.prepare('UPDATE group_state SET run = ? WHERE name = ?'),
      roundEnd: db.prepare('UPDATE group_state SET rounds = ?, last_round_at = ? WHERE name = ?'),
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
      tasklets: this.caughtUp(row.name, JSON.parse(row.tasklets) as TaskletStatus[], row.last_round_at),
      run: row.run === null ? null : (JSON.parse(row.run) as RunRecord),
    }));
  }

  /** The stored status with the rounds recorded since its save replayed, oldest first. */
  private caughtUp(name: string, tasklets: TaskletStatus[], lastRoundAt: number | null): TaskletStatus[] {
    if (lastRoundAt === null) return tasklets;
    const recent = this.records(name, Number.MAX_SAFE_INTEGER).filter((round) => round.startedAt >= lastRoundAt - REPLAY_MS);
    const board = new TaskletBoard(tasklets);
    for (const round of recent.reverse()) board.apply(round);
    return [...board.statuses()];
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
    this.saveTasklets(name, tasklets);
  }

  private saveTasklets(name: string, tasklets: readonly TaskletStatus[]): void {
    this.statements.tasklets.run(JSON.stringify(tasklets), name);
    this.taskletsSaved.set(name, { at: Date.now(), rounds: 0 });
    this.unsavedTasklets.delete(name);
  }

  /** Writes what is pending, the tasklet status included (the part stops). */
  close(): void {
    this.flush();
    this.db.transaction(() => {
      for (const [name, tasklets] of this.unsavedTasklets) this.saveTasklets(name, tasklets());
    })();
  }

  /** A round's end: its history row (the oldest past `keep` go), the params (null: unchanged), counts and tasklet status; written within FLUSH_MS. */
  recordRound(
    round: RoundRecord,
    params: GroupParams | null,
    rounds: number,
    tasklets: () => readonly TaskletStatus[],
    keep: number,
  ): void {
    this.pending.push({ round, params, rounds, tasklets, keep });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setTimeout(() => {
      this.flushScheduled = false;
      // Closed meanwhile (the agent stopped, having flushed): nothing can be written any more.
      if (this.db.open) this.flush();
    }, FLUSH_MS);
  }

  /** Writes the round ends not written yet, in one transaction. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    const latest = new Map(batch.map((entry) => [entry.round.group, entry]));
    this.db.transaction(() => {
      const changedParams = new Map<string, { params: GroupParams; at: number }>();
      for (const { round, params } of batch) {
        this.statements.insertRound.run(round.group, round.round, storedText(round));
        if (params !== null) changedParams.set(round.group, { params, at: round.endedAt });
      }
      for (const [group, { params, at }] of changedParams) this.statements.params.run(JSON.stringify(params), at, group);
      for (const [group, entry] of latest) {
        this.statements.trim.run(group, group, entry.keep);
        this.statements.roundEnd.run(entry.rounds, entry.round.startedAt, group);
        const saved = this.taskletsSaved.get(group) ?? { at: 0, rounds: 0 };
        saved.rounds += batch.filter((pending) => pending.round.group === group).length;
        this.taskletsSaved.set(group, saved);
        if (Date.now() - saved.at >= TASKLETS_SAVE_MS || saved.rounds >= entry.keep / 2) this.saveTasklets(group, entry.tasklets());
        else this.unsavedTasklets.set(group, entry.tasklets);
      }
    })();
  }

  /** A group's last rounds, most recent first. */
  history(name: string, limit: number): GroupRound[] {
    return this.records(name, limit).map(groupRoundOf);
  }

  private records(name: string, limit: number): RoundRecord[] {
    this.flush();
    return (this.statements.history.all(name, limit) as { record: string }[]).map((row) => fromStoredText(name, row.record));
  }
}
