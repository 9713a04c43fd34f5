/**
 * The tasks the agent holds (reservations and running tasks) by id, and the
 * rules of reservations: fresh ids (never reused), `--unique` names, expiry
 * after the reservation lifetime with one timer per reservation.
 */
import { failed, ok, type Failure, type Result } from '../result';
import type { Logger } from '../log';
import { LiveTask } from './liveTask';
import type { LiveTaskRow, TaskStore } from './taskStore';

export type ReleaseReason = 'expired' | 'released' | 'launch-failed';

export interface RegistryHooks {
  /** A reservation appeared. */
  reserved(task: LiveTask): void;
  /** A reservation went away without running. */
  released(task: LiveTask, reason: ReleaseReason): void;
}

/** A `--unique` reservation refused: a live task already holds the name. */
export interface NameHeld extends Failure<'name-held'> {
  readonly holder: LiveTask;
}

export class TaskRegistry {
  private readonly tasks = new Map<number, LiveTask>();
  private lastId = 0;

  constructor(
    private readonly store: TaskStore,
    private readonly log: Logger,
    private readonly hooks: RegistryHooks,
  ) {}

  /** Continues numbering after the highest id the store has seen. */
  resumeIds(): void {
    this.lastId = this.store.maxId();
  }

  /** Restarts numbering at 1 (after the tables were emptied). */
  resetIds(): void {
    this.lastId = 0;
  }

  nextId(): number {
    return ++this.lastId;
  }

  get(id: number): LiveTask | undefined {
    return this.tasks.get(id);
  }

  all(): LiveTask[] {
    return [...this.tasks.values()];
  }

  add(task: LiveTask): void {
    this.tasks.set(task.id, task);
  }

  /** Forgets a task that left (ended, or failed to launch before anything was stored). */
  delete(task: LiveTask): void {
    if (this.tasks.get(task.id) === task) this.tasks.delete(task.id);
  }

  /** The live task (reserved, starting or running) holding `name`, if any. */
  holderOf(name: string): LiveTask | undefined {
    for (const task of this.tasks.values()) if (task.name === name && task.isLive) return task;
    return undefined;
  }

  /** Reserves a new id; with `unique`, refuses when a live task has the name. */
  reserve(name: string | null, unique: boolean, ttlMs: number): Result<LiveTask, NameHeld> {
    if (unique && name !== null) {
      const holder = this.holderOf(name);
      if (holder !== undefined) {
        const what = holder.phase === 'reserved' ? 'reserved' : `running (pid ${holder.identity?.pid ?? '?'})`;
        return failed({
          reason: 'name-held',
          message: `a task named "${name}" is already ${what} as task ${holder.id}; --unique allows only one`,
          holder,
        });
      }
    }
    const now = Date.now();
    const task = new LiveTask(this.nextId(), { name, unique, reservedAt: now, expiresAt: now + ttlMs });
    this.store.insertReservation(task.id, name, unique, now, now + ttlMs);
    this.add(task);
    this.armExpiry(task);
    this.hooks.reserved(task);
    return ok(task);
  }

  /** Brings back a reservation a previous agent made (still within its lifetime). */
  restoreReservation(row: LiveTaskRow): void {
    const task = new LiveTask(row.id, { name: row.name, unique: row.unique, reservedAt: row.reservedAt, expiresAt: row.expiresAt });
    this.add(task);
    this.armExpiry(task);
  }

  /** Removes a reservation (expired, released by kill, or its launch failed). */
  release(task: LiveTask, reason: ReleaseReason): void {
    this.store.deleteLive(task.id);
    this.delete(task);
    task.markGone();
    this.hooks.released(task, reason);
    if (reason === 'expired') this.log.debug(`reservation ${task.id} expired`);
  }

  /** Expires every reservation past its lifetime now; returns how many. */
  expireDue(now = Date.now()): number {
    let expired = 0;
    for (const task of this.all()) {
      if (task.phase === 'reserved' && task.expiresAt !== null && task.expiresAt <= now) {
        this.release(task, 'expired');
        expired++;
      }
    }
    return expired;
  }

  /** Stops every expiry timer (the agent is stopping; the rows stay for the next agent). */
  disarmAll(): void {
    for (const task of this.tasks.values()) {
      if (task.expiryTimer !== null) clearTimeout(task.expiryTimer);
      task.expiryTimer = null;
    }
  }

  private armExpiry(task: LiveTask): void {
    if (task.expiresAt === null) return;
    task.expiryTimer = setTimeout(
      () => {
        task.expiryTimer = null;
        if (task.phase === 'reserved') this.release(task, 'expired');
      },
      Math.max(0, task.expiresAt - Date.now()),
    );
  }
}
