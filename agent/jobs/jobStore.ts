/**
 * The jobs' store: each job's past (job_state) and its check events
 * (job_events). Writes are gathered and committed together once per turn of
 * the event loop (`flush`), so a thousand jobs due in the same millisecond cost
 * one transaction, not a thousand; the occurrence a run covers is queued before
 * the run starts, so it is on disk before a command could even spawn.
 */
import type { CheckEvent } from './protocol';
import type { Db } from '../store/database';

/** A running command's process, for the next agent to adopt. */
export interface RunningRow {
  readonly pid: number;
  readonly startTicks: number;
  readonly startedAt: number;
  readonly stdoutFile: string;
  readonly stderrFile: string;
}

export interface JobStateRow {
  readonly name: string;
  readonly lastDue: number | null;
  readonly everRan: boolean;
  readonly skipped: number;
  readonly paused: boolean;
  readonly running: RunningRow | null;
}

type Change = Partial<Omit<JobStateRow, 'name'>>;

export class JobStore {
  private readonly pendingState = new Map<string, Change>();
  private readonly pendingEvents: { job: string; json: string }[] = [];
  private readonly trims = new Map<string, number>();
  private scheduled = false;
  private readonly upsert;
  private readonly insertEvent;
  private readonly trim;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(`
      INSERT INTO job_state (name, last_due, ever_ran, skipped, paused, running)
      VALUES (@name, @lastDue, @everRan, @skipped, @paused, @running)
      ON CONFLICT (name) DO UPDATE SET
        last_due = CASE WHEN @setLastDue THEN @lastDue ELSE last_due END,
        ever_ran = CASE WHEN @setEverRan THEN @everRan ELSE ever_ran END,
        skipped = CASE WHEN @setSkipped THEN @skipped ELSE skipped END,
        paused = CASE WHEN @setPaused THEN @paused ELSE paused END,
        running = CASE WHEN @setRunning THEN @running ELSE running END`);
    this.insertEvent = db.prepare('INSERT INTO job_events (job, event) VALUES (?, ?)');
    this.trim = db.prepare(
      'DELETE FROM job_events WHERE job = @job AND seq <= (SELECT seq FROM job_events WHERE job = @job ORDER BY seq DESC LIMIT 1 OFFSET @keep)',
    );
  }

  loadStates(): JobStateRow[] {
    const rows = this.db.prepare('SELECT name, last_due, ever_ran, skipped, paused, running FROM job_state').all() as {
      name: string;
      last_due: number | null;
      ever_ran: number;
      skipped: number;
      paused: number;
      running: string | null;
    }[];
    return rows.map((row) => ({
      name: row.name,
      lastDue: row.last_due,
      everRan: row.ever_ran === 1,
      skipped: row.skipped,
      paused: row.paused === 1,
      running: row.running === null ? null : (JSON.parse(row.running) as RunningRow),
    }));
  }

  /** Each job's most recent event. */
  lastEvents(): Map<string, CheckEvent> {
    const rows = this.db.prepare('SELECT job, event FROM job_events WHERE seq IN (SELECT MAX(seq) FROM job_events GROUP BY job)').all() as {
      job: string;
      event: string;
    }[];
    return new Map(rows.map((row) => [row.job, JSON.parse(row.event) as CheckEvent]));
  }

  /** Events, most recent first, before the cursor (a seq), a page at a time. */
  events(job: string | null, limit: number, before: number | null): { events: CheckEvent[]; nextCursor: string | null } {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT seq, event FROM job_events WHERE (@job IS NULL OR job = @job) AND (@before IS NULL OR seq < @before) ORDER BY seq DESC LIMIT @limit`,
      )
      .all({ job, before, limit: limit + 1 }) as { seq: number; event: string }[];
    const page = rows.slice(0, limit);
    return {
      events: page.map((row) => JSON.parse(row.event) as CheckEvent),
      nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null,
    };
  }

  /** Queues a change of a job's state (written at the next flush). */
  update(name: string, change: Change): void {
    this.pendingState.set(name, { ...this.pendingState.get(name), ...change });
    this.schedule();
  }

  /** Queues an event, keeping at most `keep` of its job's. */
  addEvent(event: CheckEvent, keep: number): void {
    this.pendingEvents.push({ job: event.resource, json: JSON.stringify(event) });
    this.trims.set(event.resource, keep);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes what is queued, in one transaction. */
  flush(): void {
    this.scheduled = false;
    if (this.pendingState.size === 0 && this.pendingEvents.length === 0) return;
    const states = [...this.pendingState];
    const events = this.pendingEvents.splice(0);
    const trims = [...this.trims];
    this.pendingState.clear();
    this.trims.clear();
    this.db
      .transaction(() => {
        for (const [name, change] of states)
          this.upsert.run({
            name,
            lastDue: change.lastDue ?? null,
            everRan: change.everRan ? 1 : 0,
            skipped: change.skipped ?? 0,
            paused: change.paused ? 1 : 0,
            running: change.running ? JSON.stringify(change.running) : null,
            setLastDue: change.lastDue !== undefined ? 1 : 0,
            setEverRan: change.everRan !== undefined ? 1 : 0,
            setSkipped: change.skipped !== undefined ? 1 : 0,
            setPaused: change.paused !== undefined ? 1 : 0,
            setRunning: change.running !== undefined ? 1 : 0,
          });
        for (const event of events) this.insertEvent.run(event.job, event.json);
        for (const [job, keep] of trims) this.trim.run({ job, keep });
      })
      .immediate();
  }

  /** A job that left the config forgets its state (its events stay until their retention drops them). */
  forget(name: string): void {
    this.pendingState.delete(name);
    this.db.prepare('DELETE FROM job_state WHERE name = ?').run(name);
  }
}
