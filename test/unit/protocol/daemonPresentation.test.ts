/**
 * The one presentation of daemon state that the Daemons view, the code lenses,
 * the hovers and `taskwarden ps` share: an icon and a color per state,
 * descriptions with pid, uptime, restarts and last exit, and a task that speaks
 * with the voice of its most worrying instance.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonExit, DaemonState } from '../../../agent/daemons/protocol';
import {
  describeExit,
  instanceDescription,
  instanceDetails,
  instanceLook,
  skippedLook,
  taskDescription,
  taskDetails,
  taskLook,
} from '../../../agent/daemons/protocol';
import { instance, task } from '../extension/daemonFixtures';

const exit = (overrides: Partial<DaemonExit>): DaemonExit => ({ code: null, signal: null, at: 0, reason: null, ...overrides });

describe('daemon presentation', () => {
  test('gives each state its icon and color: running green, on the way yellow, failing red, stopped grey', () => {
    const expected: Record<DaemonState, [string, string | null]> = {
      running: ['circle-filled', 'charts.green'],
      starting: ['loading~spin', 'charts.yellow'],
      waiting: ['watch', 'charts.yellow'],
      stopping: ['loading~spin', 'charts.yellow'],
      backoff: ['history', 'charts.yellow'],
      crashloop: ['error', 'charts.red'],
      exited: ['question', 'disabledForeground'],
      stopped: ['circle-outline', 'disabledForeground'],
      suspended: ['debug-pause', 'charts.blue'],
    };
    for (const [state, [icon, color]] of Object.entries(expected)) {
      const look = instanceLook(instance({ state: state as DaemonState, pid: null }));
      assert.deepEqual([look.icon, look.color], [icon, color], state);
    }
  });

  test('calls a once run that exited 0 done, one that failed failed, and one nobody saw end unknown', () => {
    const ended = (lastExit: DaemonExit | null) => instanceLook(instance({ state: 'exited', pid: null, lastExit }));
    assert.deepEqual(ended(exit({ code: 0 })), { icon: 'pass', color: 'charts.green', label: 'done' });
    assert.deepEqual(ended(exit({ code: 2 })), { icon: 'close', color: 'charts.red', label: 'failed' });
    assert.equal(ended(exit({ signal: 'SIGKILL' })).label, 'failed');
    assert.equal(ended(exit({ reason: 'spawn failed: command not found: x' })).label, 'failed');
    assert.equal(ended(exit({})).label, 'ended (status unknown)');
    assert.equal(ended(null).label, 'ended (status unknown)');
  });

  test('describes a finished once run as done with its exit status', () => {
    const done = instance({ state: 'exited', pid: null, startedAt: null, lastExit: exit({ code: 0 }) });
    assert.equal(instanceDescription(done, 0), 'done · last exit 0');
    const failed = instance({ state: 'exited', pid: null, startedAt: null, lastExit: exit({ code: 3 }) });
    assert.equal(instanceDescription(failed, 0), 'failed · last exit 3');
  });

  test('words every state in the description of an instance', () => {
    const described = (overrides: Parameters<typeof instance>[0]) => instanceDescription(instance({ pid: null, ...overrides }), 0);
    assert.equal(described({ state: 'starting', pid: 7, startedAt: 0 }), 'starting (not ready yet) · pid 7 · up 0s');
    assert.equal(described({ state: 'stopping', pid: 7, startedAt: 0 }), 'stopping · pid 7 · up 0s');
    assert.equal(
      described({ state: 'backoff', restarts: 1, lastExit: exit({ code: 1 }) }),
      'restarting after a quick exit · 1 restart · last exit 1',
    );
    assert.equal(described({ state: 'crashloop', restarts: 5, lastExit: exit({ code: 1 }) }), 'crash loop · 5 restarts · last exit 1');
    assert.equal(described({ state: 'suspended' }), 'suspended');
    assert.equal(described({ state: 'waiting' }), 'waiting');
  });

  test('shows tasks that do not run here in grey, and invalid ones in red', () => {
    assert.deepEqual(skippedLook({ name: 'a', reason: 'off', configLine: 1 }).color, 'disabledForeground');
    assert.match(skippedLook({ name: 'a', reason: 'out_of_scope', configLine: 1 }).label, /out of role scope/);
    assert.equal(skippedLook({ name: 'a', reason: 'invalid', configLine: 1 }).color, 'charts.red');
  });

  test('describes an instance with its state, pid, uptime and restarts', () => {
    const described = instanceDescription(instance({ pid: 4242, startedAt: 1000, restarts: 2 }), 1000 + 75_000);
    assert.equal(described, 'running · pid 4242 · up 1m 15s · 2 restarts');
  });

  test('describes a stopped instance with its last exit instead of a pid', () => {
    const stopped = instance({
      state: 'stopped',
      pid: null,
      startedAt: null,
      lastExit: exit({ signal: 'SIGTERM', reason: 'stopped by user' }),
    });
    assert.equal(instanceDescription(stopped, 0), 'stopped · last SIGTERM');
  });

  test('says what a waiting instance waits for', () => {
    assert.equal(instanceDescription(instance({ state: 'waiting', pid: null, waitingFor: ['db'] }), 0), 'waiting for db');
  });

  test('describes a task of one instance like the instance, and counts the states of several', () => {
    assert.equal(taskDescription(task('web'), 5000), 'running · pid 100 · up 5s');
    const several = task('web', [
      instance({ instance: 0, restarts: 1 }),
      instance({ instance: 1 }),
      instance({ instance: 2, state: 'crashloop', pid: null }),
    ]);
    assert.equal(taskDescription(several, 0), '2/3 running · 1/3 crash loop · 1 restart');
  });

  test('lets the most worrying instance speak for its task', () => {
    const mixed = task('web', [instance({ instance: 0 }), instance({ instance: 1, state: 'crashloop', pid: null })]);
    assert.equal(taskLook(mixed).label, 'crash loop');
    const starting = task('web', [instance({ instance: 0 }), instance({ instance: 1, state: 'starting' })]);
    assert.equal(taskLook(starting).color, 'charts.yellow');
    assert.equal(taskLook(task('web')).color, 'charts.green');
  });

  test('describes exits by code or signal, with the reason', () => {
    assert.equal(describeExit(exit({ code: 0 })), 'exit 0');
    assert.equal(describeExit(exit({ signal: 'SIGKILL', reason: 'time_limit reached' })), 'SIGKILL (time_limit reached)');
    assert.equal(describeExit(exit({ reason: 'spawn failed: command not found: x' })), 'spawn failed: command not found: x');
    assert.equal(describeExit(exit({})), 'ended (status unknown)');
  });

  test('puts every fact a user asks about into the tooltips', () => {
    const failing = instance({
      state: 'crashloop',
      pid: null,
      restarts: 5,
      lastExit: exit({ code: 1, at: 0 }),
      message: 'exited 5 times within 10 s',
    });
    const tooltip = instanceDetails(failing, 0);
    for (const fact of ['**web:0**', 'crash loop', '5 restarts', 'last exit: exit 1', 'exited 5 times', 'restart or reset']) {
      assert.ok(tooltip.includes(fact), `${fact} in ${tooltip}`);
    }
    const whole = taskDetails({ ...task('web'), requires: ['db'] }, 3000);
    for (const fact of ['control `wait`', 'requires db', 'pid 100', 'up 3s']) assert.ok(whole.includes(fact), `${fact} in ${whole}`);
  });
});
