/**
 * How a task's end reads in the history: outcome, exit code or signal, and the
 * error text, for each way a task can end.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeTaskEnd } from '../../../agent/tasks/taskEnd';

describe('the end of a task', () => {
  test('a clean exit 0 has no error', () => {
    assert.deepEqual(describeTaskEnd({ kind: 'exit', code: 0, signal: null }, null), {
      outcome: 'exited',
      exitCode: 0,
      signal: null,
      error: null,
    });
  });

  test('a non-zero exit says its code', () => {
    assert.deepEqual(describeTaskEnd({ kind: 'exit', code: 3, signal: null }, null), {
      outcome: 'exited',
      exitCode: 3,
      signal: null,
      error: 'exited with code 3',
    });
  });

  test('a signal the agent did not send is "signaled"', () => {
    assert.deepEqual(describeTaskEnd({ kind: 'exit', code: null, signal: 'SIGSEGV' }, null), {
      outcome: 'signaled',
      exitCode: null,
      signal: 'SIGSEGV',
      error: 'terminated by SIGSEGV',
    });
  });

  test('a timeout wins over the signal that ended it, and keeps the signal', () => {
    assert.deepEqual(describeTaskEnd({ kind: 'exit', code: null, signal: 'SIGTERM' }, { kind: 'timeout' }), {
      outcome: 'timeout',
      exitCode: null,
      signal: 'SIGTERM',
      error: 'timeout',
    });
  });

  test('a kill on request is "killed" with its reason, even if the task exited 0 meanwhile', () => {
    assert.deepEqual(describeTaskEnd({ kind: 'exit', code: 0, signal: null }, { kind: 'killed', error: 'killed' }), {
      outcome: 'killed',
      exitCode: 0,
      signal: null,
      error: 'killed',
    });
  });

  test('an adopted process and one that ended while the agent was down say the exit is unknown', () => {
    const adopted = describeTaskEnd({ kind: 'adopted-gone' }, null);
    assert.equal(adopted.outcome, 'unknown');
    assert.equal(adopted.exitCode, null);
    assert.match(adopted.error ?? '', /exit status unknown: the task was adopted after an agent restart/);
    const down = describeTaskEnd({ kind: 'ended-while-down' }, null);
    assert.equal(down.outcome, 'unknown');
    assert.match(down.error ?? '', /ended while the agent was down/);
  });
});
