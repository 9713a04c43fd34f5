/**
 * When a job runs next, decided from its schedule and what the store says of
 * its past, with the time given (pure): a job that never ran runs at once
 * (Canopsis), unless its start is in the future or `run_on_start: false`;
 * occurrences missed while the agent was down give one run now (`catch_up:
 * one`) or none (`catch_up: none`), never one per missed occurrence.
 */
import type { Schedule } from './schedule/schedule';

export type CatchUp = 'one' | 'none';

export interface JobPast {
  /** The occurrence the last scheduled run covered (ms), or null: it never ran on its schedule. */
  readonly lastDue: number | null;
  /** It ran at least once, by schedule or by hand. */
  readonly everRan: boolean;
}

export interface DuePolicy {
  readonly catchUp: CatchUp;
  readonly runOnStart: boolean;
  /** The schedule's start (an instant), when it names one. */
  readonly startsAt: number | null;
}

/** Why a run is due: an occurrence of the schedule, the first run of a new job, or the catch-up of missed ones. */
export type DueKind = 'occurrence' | 'first' | 'catch-up';

export interface Due {
  readonly at: number;
  readonly kind: DueKind;
}

/** The first due run after the agent (re)starts or the job's config changes, or null when none comes. */
export function firstDue(schedule: Schedule, past: JobPast, policy: DuePolicy, now: number): Due | null {
  if (past.lastDue === null && !past.everRan) {
    const future = policy.startsAt !== null && policy.startsAt > now;
    if (!future && policy.runOnStart && schedule.spec.kind !== 'none') return { at: now, kind: 'first' };
    return occurrenceAfter(schedule, now - 1);
  }
  if (past.lastDue !== null) {
    const missed = schedule.next(past.lastDue);
    if (missed !== null && missed <= now) return policy.catchUp === 'one' ? { at: now, kind: 'catch-up' } : occurrenceAfter(schedule, now);
  }
  return occurrenceAfter(schedule, Math.max(now, past.lastDue ?? now));
}

/** The run due after one that was due at `due` and fired at `now`: the first occurrence after both (a late timer never bursts). */
export function dueAfter(schedule: Schedule, due: number, now: number): Due | null {
  return occurrenceAfter(schedule, Math.max(due, now));
}

function occurrenceAfter(schedule: Schedule, at: number): Due | null {
  const next = schedule.next(at);
  return next === null ? null : { at: next, kind: 'occurrence' };
}
