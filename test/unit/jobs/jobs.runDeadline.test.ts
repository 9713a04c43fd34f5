import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadlines, RunDeadline } from '../../../agent/jobs/runDeadline';
import { FakeClock } from './fakeClock';

describe("a run's deadline", () => {
  it('aborts the signal a handler holds when the limit is reached', () => {
    const deadline = new RunDeadline();
    const signal = deadline.signal;
    assert.equal(signal.aborted, false);
    deadline.expire();
    assert.equal(signal.aborted, true);
    assert.equal(deadline.signal, signal, 'one signal per run');
  });

  it('gives an aborted signal to a handler that asks only after the limit passed', () => {
    const deadline = new RunDeadline();
    deadline.expire();
    assert.equal(deadline.signal.aborted, true);
  });
});

describe("the runs' deadline timers", () => {
  it('share one timer among the runs whose limits fall in the same 10 ms, and expire each at its limit', () => {
    const clock = new FakeClock();
    const deadlines = new Deadlines(clock);
    const runs = Array.from({ length: 100 }, () => new RunDeadline());
    const signals = runs.map((run) => run.signal);
    runs.forEach((run, index) => deadlines.add(run, clock.time + 5001 + (index % 4)));
    const late = new RunDeadline();
    deadlines.add(late, clock.time + 9000);
    assert.equal(clock.timers.size, 2);
    clock.advance(5004);
    assert.ok(
      signals.every((signal) => !signal.aborted),
      'not before the slot: at most 10 ms late, never early',
    );
    clock.advance(6);
    assert.ok(signals.every((signal) => signal.aborted));
    assert.equal(late.signal.aborted, false);
    clock.advance(3990);
    assert.equal(late.signal.aborted, true);
    assert.equal(clock.timers.size, 0);
  });

  it('drop the timer when every run it held ended before its limit', () => {
    const clock = new FakeClock();
    const deadlines = new Deadlines(clock);
    const first = new RunDeadline();
    const second = new RunDeadline();
    const cancelFirst = deadlines.add(first, clock.time + 1000);
    const cancelSecond = deadlines.add(second, clock.time + 1001);
    cancelFirst();
    assert.equal(clock.timers.size, 1);
    cancelSecond();
    cancelSecond();
    assert.equal(clock.timers.size, 0);
    clock.advance(2000);
    assert.equal(first.signal.aborted, false);
  });
});
