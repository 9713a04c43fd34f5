/**
 * The words of the Process Groups view and the tasklet code lens: the group row's countdown and
 * counts, a tasklet's outcome with its error, and param values.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatParamValue,
  groupDescription,
  groupIsActive,
  scheduleDescription,
  scheduleLabel,
  taskletDescription,
  taskletFailed,
  taskletLensText,
} from '../../../extension/groups/groupFormat';
import { group, tasklet } from './groupFixtures';

const clock = (at: number): string => `T${at / 1000}`;

describe("a group row's words and its clock row", () => {
  test('a group row says its state, and its runner restarts when there were some', () => {
    assert.equal(groupDescription(group()), 'running');
    assert.equal(groupDescription(group({ state: 'stopped' })), 'stopped');
    assert.equal(groupDescription(group({ state: 'restarting', runnerRestarts: 2 })), 'restarting · 2 runner restarts');
  });

  test('the clock row counts down to the next round and says the uptime', () => {
    const running = group({ startedAt: 0, nextRoundAt: 60_000 });
    assert.equal(scheduleLabel(running, 52_500), 'next round in 8s');
    assert.equal(scheduleDescription(running, 52_500), '3 rounds · up 52s · every 10s');
  });

  test('the countdown rounds up, so it never reads 0s before the round, and says "round due" past it', () => {
    assert.equal(scheduleLabel(group({ nextRoundAt: 60_000 }), 59_999), 'next round in 1s');
    assert.equal(scheduleLabel(group({ nextRoundAt: 60_000 }), 60_000), 'round due');
  });

  test('a round in progress replaces the countdown; a stopped group has none, nor an uptime', () => {
    assert.equal(scheduleLabel(group({ roundInProgress: 4, nextRoundAt: null }), 1000), 'round 4 running');
    const stopped = group({ state: 'stopped', startedAt: null, nextRoundAt: null, rounds: 1 });
    assert.equal(scheduleLabel(stopped, 1000), 'no rounds scheduled');
    assert.equal(scheduleDescription(stopped, 1000), '1 round · stopped · every 10s');
  });

  test('a broken group says why, from its first error', () => {
    const broken = group({
      state: 'broken',
      problems: [
        { file: '/ws/p/demo', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'warning', message: 'empty params' },
        { file: '/ws/p/demo', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', message: 'python3 was not found\nset PATH' },
      ],
    });
    assert.equal(groupDescription(broken), 'broken · python3 was not found');
    assert.equal(scheduleLabel(broken, 1000), 'no rounds: the group cannot run');
  });

  test('starting and restarting groups count as active (Stop is offered), stopped and broken do not', () => {
    assert.deepEqual(
      (['running', 'starting', 'restarting', 'stopped', 'broken'] as const).map((state) => groupIsActive(group({ state }))),
      [true, true, true, false, false],
    );
  });
});

describe("a tasklet row's words", () => {
  test('says what it did this round, with its duration', () => {
    assert.equal(taskletDescription(tasklet({ outcome: 'ok', lastDurationMs: 12.4 })), 'ran · 12 ms');
    assert.equal(taskletDescription(tasklet({ outcome: 'not-matched' })), 'not matched');
    assert.equal(taskletDescription(tasklet({ outcome: 'skipped' })), 'skipped (break)');
    assert.equal(taskletDescription(tasklet({ outcome: null, lastDurationMs: null })), 'not run yet');
  });

  test("a failure shows the error's first line, and counts as failed", () => {
    const failed = tasklet({
      outcome: 'error',
      lastDurationMs: 3,
      lastError: { message: 'TypeError: x is undefined\nmore', stack: ['at main (a.js:2:3)'] },
    });
    assert.equal(taskletDescription(failed), 'failed · 3 ms · TypeError: x is undefined');
    assert.equal(taskletFailed(failed), true);
    assert.equal(taskletFailed(tasklet({ outcome: 'timeout' })), true);
    assert.equal(taskletFailed(tasklet({ outcome: 'not-matched' })), false);
  });
});

describe("the code lens above a tasklet's main", () => {
  test('says its last run, duration and result', () => {
    assert.equal(taskletLensText(tasklet({ lastRunAt: 50_000, lastDurationMs: 12 }), clock), 'last run T50 · 12 ms · ok');
    assert.equal(
      taskletLensText(tasklet({ outcome: 'error', lastError: { message: 'boom', stack: [] }, lastDurationMs: 4 }), clock),
      'last run T50 · 4 ms · failed: boom',
    );
    assert.equal(taskletLensText(tasklet({ outcome: 'not-matched' }), clock), 'last run T50 · 12 ms · not matched this round');
  });

  test('before its first run, says so', () => {
    assert.equal(taskletLensText(tasklet({ outcome: null, lastRunAt: 0, lastDurationMs: null }), clock), 'not run yet');
    assert.equal(taskletLensText(tasklet({ outcome: 'not-matched', lastRunAt: 0 }), clock), 'never ran · not matched');
  });
});

describe('a param value', () => {
  test('strings as they are, the rest as JSON, long values cut', () => {
    assert.equal(formatParamValue('demo'), 'demo');
    assert.equal(formatParamValue(2), '2');
    assert.equal(formatParamValue(['a', 1]), '["a",1]');
    assert.equal(formatParamValue(null), 'null');
    assert.equal(formatParamValue('x'.repeat(300)).length, 200);
  });
});
