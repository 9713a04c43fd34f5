/**
 * When a job runs next: first run at once, a start in the future, catch-up of
 * missed occurrences (one or none, never a burst) and a late timer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueAfter, firstDue, type DuePolicy } from '../../../agent/jobs/dueTimes';
import { compileSchedule, type Schedule } from '../../../agent/jobs/schedule/schedule';

function every(ms: number): Schedule {
  const result = compileSchedule({ kind: 'every', everyMs: ms });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const policy: DuePolicy = { catchUp: 'one', runOnStart: true, startsAt: null };
const now = Date.UTC(2026, 5, 5, 12, 0, 10);
const minute = every(60_000);

describe('the first due run', () => {
  it('is now for a job that never ran (as Canopsis), unless run_on_start is false or its start is in the future', () => {
    assert.deepEqual(firstDue(minute, { lastDue: null, everRan: false }, policy, now), { at: now, kind: 'first' });
    assert.deepEqual(firstDue(minute, { lastDue: null, everRan: false }, { ...policy, runOnStart: false }, now), {
      at: Date.UTC(2026, 5, 5, 12, 1),
      kind: 'occurrence',
    });
    const later = Date.UTC(2026, 5, 5, 13, 0);
    assert.deepEqual(firstDue(minute, { lastDue: null, everRan: false }, { ...policy, startsAt: later }, now), {
      at: Date.UTC(2026, 5, 5, 12, 1),
      kind: 'occurrence',
    });
  });

  it('is one catch-up run now after missed occurrences, however many were missed (catch_up: one)', () => {
    const dayAgo = now - 86_400_000;
    assert.deepEqual(firstDue(minute, { lastDue: dayAgo, everRan: true }, policy, now), { at: now, kind: 'catch-up' });
  });

  it('is the next occurrence when missed ones are dropped (catch_up: none)', () => {
    assert.deepEqual(firstDue(minute, { lastDue: now - 3_600_000, everRan: true }, { ...policy, catchUp: 'none' }, now), {
      at: Date.UTC(2026, 5, 5, 12, 1),
      kind: 'occurrence',
    });
  });

  it('is the next occurrence when none was missed (an agent restarted within the minute)', () => {
    assert.deepEqual(firstDue(minute, { lastDue: Date.UTC(2026, 5, 5, 12, 0), everRan: true }, policy, now), {
      at: Date.UTC(2026, 5, 5, 12, 1),
      kind: 'occurrence',
    });
  });
});

describe('the run after one that fired', () => {
  it('is the first occurrence after both its due time and now: a timer 2.5 s late on a 1 s schedule does not burst', () => {
    const second = every(1000);
    const due = Date.UTC(2026, 5, 5, 12, 0, 0);
    assert.deepEqual(dueAfter(second, due, due + 2500), { at: due + 3000, kind: 'occurrence' });
    assert.deepEqual(dueAfter(second, due, due + 3), { at: due + 1000, kind: 'occurrence' });
  });
});
