import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunDeadline } from '../../../agent/jobs/runDeadline';

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
