/**
 * The timer queue on an injected clock: one timer armed for the earliest job,
 * replaced due times, jobs due at the same instant, a far future.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimerQueue } from '../../../agent/jobs/timerQueue';
import { FakeClock } from './fakeClock';

describe('the timer queue', () => {
  it('keeps one timer, armed for the earliest due job, and fires jobs in due order', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const queue = new TimerQueue(clock, (due) => due.forEach(({ key, at }) => fired.push(`${key}@${at - 1_000_000}`)));
    queue.set('late', clock.time + 5000);
    queue.set('soon', clock.time + 1000);
    queue.set('same', clock.time + 1000);
    assert.equal(clock.timers.size, 1);
    clock.advance(1000);
    assert.deepEqual(fired, ['soon@1000', 'same@1000']);
    clock.advance(4000);
    assert.deepEqual(fired, ['soon@1000', 'same@1000', 'late@5000']);
    assert.equal(clock.timers.size, 0);
  });

  it('replaces a due time, and forgets one set to null', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const queue = new TimerQueue(clock, (due) => due.forEach(({ key }) => fired.push(key)));
    queue.set('a', clock.time + 1000);
    queue.set('a', clock.time + 3000);
    queue.set('b', clock.time + 2000);
    queue.set('b', null);
    clock.advance(2500);
    assert.deepEqual(fired, []);
    clock.advance(500);
    assert.deepEqual(fired, ['a']);
  });

  it('lets a fired job set its next due time from inside the callback', () => {
    const clock = new FakeClock();
    let count = 0;
    const queue: TimerQueue = new TimerQueue(clock, (due) => {
      for (const { key, at } of due) {
        count += 1;
        queue.set(key, at + 1000);
      }
    });
    queue.set('tick', clock.time + 1000);
    clock.advance(10_000);
    assert.equal(count, 10);
    assert.equal(clock.timers.size, 1);
  });

  it('reaches a due time past setTimeout’s limit in steps', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const queue = new TimerQueue(clock, (due) => due.forEach(({ key }) => fired.push(key)));
    queue.set('year', clock.time + 365 * 86_400_000);
    assert.ok([...clock.timers.values()][0]!.at - clock.time <= 2 ** 31 - 1);
    clock.advance(365 * 86_400_000);
    assert.deepEqual(fired, ['year']);
  });
});
