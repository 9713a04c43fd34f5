/**
 * Task health with an injected clock: the 25/50/100 % thresholds, the cases
 * without feedback or without timeout, and the correctness of `nextChangeAt`.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { taskHealth, type TaskHealthInput, type TaskHealthState } from '../../../agent/tasks/taskHealth';

const START = 1_700_000_000_000;
const TIMEOUT = 60_000;

function withFeedback(now: number, lastUpdateAt: number | null = null): TaskHealthInput {
  return {
    now,
    startedAt: START,
    lastUpdateAt,
    timeoutMs: TIMEOUT,
    hasFeedback: true,
  };
}

describe('a task with a feedback file and a timeout', () => {
  const cases: [offset: number, state: TaskHealthState, nextChangeOffset: number | null][] = [
    [0, 'RUNNING', 15_000],
    [14_999, 'RUNNING', 15_000],
    [15_000, 'SILENT', 30_000],
    [29_999, 'SILENT', 30_000],
    [30_000, 'STALLED', 60_000],
    [59_999, 'STALLED', 60_000],
    [60_000, 'TIMEOUT', null],
    [600_000, 'TIMEOUT', null],
  ];
  for (const [offset, state, nextChangeOffset] of cases) {
    test(`before any update, ${offset} ms after the start it is ${state}`, () => {
      const health = taskHealth(withFeedback(START + offset));
      assert.equal(health.state, state);
      assert.equal(health.nextChangeAt, nextChangeOffset === null ? null : START + nextChangeOffset);
      assert.equal(health.timerMs, offset);
      assert.equal(health.deadlineAt, START + TIMEOUT);
    });
  }

  test('the thresholds count from the last update, exactly at 25, 50 and 100 %', () => {
    const update = START + 100_000;
    assert.equal(taskHealth(withFeedback(update + 14_999, update)).state, 'RUNNING');
    assert.equal(taskHealth(withFeedback(update + 15_000, update)).state, 'SILENT');
    assert.equal(taskHealth(withFeedback(update + 30_000, update)).state, 'STALLED');
    assert.equal(taskHealth(withFeedback(update + 60_000, update)).state, 'TIMEOUT');
    assert.equal(taskHealth(withFeedback(update + 60_000, update)).deadlineAt, update + 60_000);
  });

  test('an update brings a stalled task back to running', () => {
    const now = START + 50_000;
    assert.equal(taskHealth(withFeedback(now)).state, 'STALLED');
    const health = taskHealth(withFeedback(now, now));
    assert.equal(health.state, 'RUNNING');
    assert.equal(health.nextChangeAt, now + 15_000);
  });

  test('a feedback file older than the task counts from the start', () => {
    const health = taskHealth(withFeedback(START + 20_000, START - 3_600_000));
    assert.equal(health.state, 'SILENT');
    assert.equal(health.timerMs, 20_000);
  });

  test('thresholds that fall between milliseconds stay exact', () => {
    const input = {
      startedAt: 0,
      lastUpdateAt: null,
      timeoutMs: 10,
      hasFeedback: true,
    };
    assert.equal(taskHealth({ ...input, now: 2 }).nextChangeAt, 2.5);
    assert.equal(taskHealth({ ...input, now: 2 }).state, 'RUNNING');
    assert.equal(taskHealth({ ...input, now: 3 }).state, 'SILENT');
  });
});

describe('a task without a feedback file', () => {
  const input = {
    startedAt: START,
    lastUpdateAt: null,
    timeoutMs: TIMEOUT,
    hasFeedback: false,
  };

  test('it is running until its total run time reaches the timeout', () => {
    assert.deepEqual(taskHealth({ ...input, now: START + 45_000 }), {
      state: 'RUNNING',
      nextChangeAt: START + TIMEOUT,
      deadlineAt: START + TIMEOUT,
      timerMs: 45_000,
    });
    assert.equal(taskHealth({ ...input, now: START + TIMEOUT - 1 }).state, 'RUNNING');
    assert.equal(taskHealth({ ...input, now: START + TIMEOUT }).state, 'TIMEOUT');
    assert.equal(taskHealth({ ...input, now: START + TIMEOUT }).nextChangeAt, null);
  });

  test('a stray update time does not extend its run time', () => {
    const health = taskHealth({
      ...input,
      now: START + TIMEOUT,
      lastUpdateAt: START + TIMEOUT - 1,
    });
    assert.equal(health.state, 'TIMEOUT');
  });
});

describe('a task without a timeout', () => {
  for (const timeoutMs of [null, undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
    for (const hasFeedback of [true, false]) {
      test(`with timeout ${String(timeoutMs)} and hasFeedback ${String(hasFeedback)} it is always running`, () => {
        const health = taskHealth({
          now: START + 1e9,
          startedAt: START,
          lastUpdateAt: null,
          timeoutMs,
          hasFeedback,
        });
        assert.deepEqual(health, {
          state: 'RUNNING',
          nextChangeAt: null,
          deadlineAt: null,
          timerMs: 1e9,
        });
      });
    }
  }
});

describe('nextChangeAt', () => {
  const scenarios = [
    { timeoutMs: 1, lastUpdateAt: null, hasFeedback: true },
    { timeoutMs: 7, lastUpdateAt: START + 3, hasFeedback: true },
    { timeoutMs: 1000, lastUpdateAt: START + 123, hasFeedback: true },
    { timeoutMs: 1000, lastUpdateAt: null, hasFeedback: false },
  ];

  test('the state holds until nextChangeAt and differs at nextChangeAt, at every instant sampled', () => {
    for (const scenario of scenarios) {
      const at = (now: number) => taskHealth({ ...scenario, now, startedAt: START });
      const step = scenario.timeoutMs / 16;
      for (let now = START - scenario.timeoutMs; now <= START + 3 * scenario.timeoutMs; now += step) {
        const health = at(now);
        const label = `${JSON.stringify(scenario)} at ${now - START}`;
        if (health.nextChangeAt === null) {
          assert.equal(at(now + 100 * scenario.timeoutMs).state, health.state, label);
          continue;
        }
        assert.ok(health.nextChangeAt > now, label);
        assert.equal(at((now + health.nextChangeAt) / 2).state, health.state, label);
        assert.equal(at(health.nextChangeAt - 1e-3).state, health.state, label);
        assert.notEqual(at(health.nextChangeAt).state, health.state, label);
      }
    }
  });

  test('arming a timer for each nextChangeAt walks through every state once', () => {
    const states: TaskHealthState[] = [];
    let now: number | null = START;
    while (now !== null) {
      const health = taskHealth(withFeedback(now));
      states.push(health.state);
      now = health.nextChangeAt;
    }
    assert.deepEqual(states, ['RUNNING', 'SILENT', 'STALLED', 'TIMEOUT']);
  });
});
