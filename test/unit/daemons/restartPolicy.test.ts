import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  backoffDelay,
  INITIAL_RESTART_STATE,
  recordExit,
  recordStart,
  RestartTracker,
  type ExitInfo,
  type RestartDecision,
} from '../../../agent/daemons/config/restartPolicy';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from '../../../agent/daemons/config/spec';

const crashed: ExitInfo = { code: 1, signal: null };

/** A fake clock the test moves by hand. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** Run `times` cycles of start, run for `runMs`, exit, wait the decided delay; return the decisions. */
function cycles(tracker: RestartTracker, clock: ReturnType<typeof fakeClock>, times: number, runMs: number): RestartDecision[] {
  const decisions: RestartDecision[] = [];
  for (let index = 0; index < times; index += 1) {
    tracker.started();
    clock.advance(runMs);
    const decision = tracker.exited(crashed);
    decisions.push(decision);
    if (decision.kind === 'restart') clock.advance(decision.restartAfterMs);
  }
  return decisions;
}

describe('restart policy', () => {
  test('the first restart is immediate', () => {
    const { decision } = recordExit(recordStart(INITIAL_RESTART_STATE, 0), DEFAULT_RESTART_POLICY, 50, crashed);
    assert.deepEqual(decision, { kind: 'restart', restartAfterMs: 0, quickExits: 1 });
  });

  test('quick exits in a row back off 0, 100, 200, 400 ms by default', () => {
    const clock = fakeClock();
    const tracker = new RestartTracker({ ...DEFAULT_RESTART_POLICY, crashLoop: null }, clock.now);
    const delays = cycles(tracker, clock, 5, 10).map((decision) => (decision.kind === 'restart' ? decision.restartAfterMs : -1));
    assert.deepEqual(delays, [0, 100, 200, 400, 800]);
  });

  test('the backoff is capped at max_delay', () => {
    const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, crashLoop: null };
    assert.equal(backoffDelay(policy, 10), 25_600);
    assert.equal(backoffDelay(policy, 11), 30_000);
    assert.equal(backoffDelay(policy, 50), 30_000);
  });

  test('a healthy run resets the backoff and the next restart is immediate again', () => {
    const clock = fakeClock();
    const tracker = new RestartTracker(DEFAULT_RESTART_POLICY, clock.now);
    cycles(tracker, clock, 3, 10);
    assert.equal(tracker.state.consecutiveQuickExits, 3);
    const [healthy] = cycles(tracker, clock, 1, DEFAULT_RESTART_POLICY.resetAfterMs);
    assert.deepEqual(healthy, { kind: 'restart', restartAfterMs: 0, quickExits: 0 });
    assert.deepEqual(tracker.state.recentQuickExits, []);
    const [next] = cycles(tracker, clock, 1, 10);
    assert.deepEqual(next, { kind: 'restart', restartAfterMs: 0, quickExits: 1 });
  });

  test('five quick exits within 60 s are a crash loop that stops restarting', () => {
    const clock = fakeClock();
    const tracker = new RestartTracker(DEFAULT_RESTART_POLICY, clock.now);
    const decisions = cycles(tracker, clock, 5, 10);
    assert.deepEqual(
      decisions.slice(0, 4).map((decision) => decision.kind),
      ['restart', 'restart', 'restart', 'restart'],
    );
    const last = decisions[4]!;
    assert.equal(last.kind, 'crashLoop');
    assert.equal(last.kind === 'crashLoop' && last.quickExits, 5);
    assert.match(last.kind === 'crashLoop' ? last.message : '', /5 quick exits within 60 s \(last exited with code 1\)/);
    assert.equal(tracker.state.crashLooped, true);
  });

  test('failed starts count like quick exits, and the crash loop names the error instead of an unknown code', () => {
    const clock = fakeClock();
    const tracker = new RestartTracker(DEFAULT_RESTART_POLICY, clock.now);
    const failedStart: ExitInfo = { code: null, signal: null, startError: 'ENOENT: command not found: nosuch' };
    let last: RestartDecision | undefined;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      // A start that fails never reaches started(): nothing ran.
      last = tracker.exited(failedStart);
      if (last.kind === 'restart') clock.advance(last.restartAfterMs);
    }
    assert.equal(last?.kind, 'crashLoop');
    assert.equal(
      last?.kind === 'crashLoop' ? last.message : '',
      'crash loop: 5 failed starts within 60 s (last could not start: ENOENT: command not found: nosuch); restarting stopped until reset',
    );
  });

  test('a crash loop of quick exits and failed starts says both', () => {
    const clock = fakeClock();
    const tracker = new RestartTracker(DEFAULT_RESTART_POLICY, clock.now);
    cycles(tracker, clock, 4, 10);
    const last = tracker.exited({ code: null, signal: null, startError: 'EACCES: not permitted to run ./x' });
    assert.match(
      last.kind === 'crashLoop' ? last.message : '',
      /^crash loop: 5 quick exits and failed starts within 60 s \(last could not start: EACCES/,
    );
  });

  test('slow quick exits spread beyond the window are not a crash loop', () => {
    const clock = fakeClock();
    const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, resetAfterMs: 30_000 };
    const tracker = new RestartTracker(policy, clock.now);
    // Each run lasts 20 s (quick, under reset_after): 5 exits span more than 60 s.
    const decisions = cycles(tracker, clock, 6, 20_000);
    assert.ok(decisions.every((decision) => decision.kind === 'restart'));
    assert.ok(tracker.state.recentQuickExits.length < 5);
  });

  test('a user reset clears the crash loop and the next restart is immediate', () => {
    const clock = fakeClock();
    const tracker = new RestartTracker(DEFAULT_RESTART_POLICY, clock.now);
    cycles(tracker, clock, 5, 10);
    tracker.reset();
    assert.equal(tracker.state.crashLooped, false);
    assert.deepEqual(cycles(tracker, clock, 1, 10)[0], { kind: 'restart', restartAfterMs: 0, quickExits: 1 });
  });

  test('crash_loop: false never gives up', () => {
    const clock = fakeClock();
    const tracker = new RestartTracker({ ...DEFAULT_RESTART_POLICY, crashLoop: null }, clock.now);
    assert.ok(cycles(tracker, clock, 50, 1).every((decision) => decision.kind === 'restart'));
  });

  test('an exit with no recorded start counts as quick', () => {
    const { decision, state } = recordExit(INITIAL_RESTART_STATE, DEFAULT_RESTART_POLICY, 123, { code: null, signal: 'SIGSEGV' });
    assert.equal(decision.kind, 'restart');
    assert.equal(state.consecutiveQuickExits, 1);
    assert.deepEqual(state.lastExit, { code: null, signal: 'SIGSEGV' });
  });

  test('a custom policy uses its own numbers', () => {
    const policy: RestartPolicy = {
      initialDelayMs: 1000,
      factor: 3,
      maxDelayMs: 5000,
      resetAfterMs: 1000,
      crashLoop: { count: 3, windowMs: 10_000 },
    };
    const clock = fakeClock();
    const tracker = new RestartTracker(policy, clock.now);
    const decisions = cycles(tracker, clock, 3, 100);
    assert.deepEqual(
      decisions.map((decision) => (decision.kind === 'restart' ? decision.restartAfterMs : decision.kind)),
      [0, 1000, 'crashLoop'],
    );
  });

  test('the state machine is pure: the same inputs give the same outputs', () => {
    const state = recordStart(INITIAL_RESTART_STATE, 10);
    const first = recordExit(state, DEFAULT_RESTART_POLICY, 20, crashed);
    const second = recordExit(state, DEFAULT_RESTART_POLICY, 20, crashed);
    assert.deepEqual(first, second);
    assert.deepEqual(state, { ...INITIAL_RESTART_STATE, startedAt: 10 });
  });
});
