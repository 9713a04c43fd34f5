/**
 * How daemons look in the view: an icon and a color per state, descriptions
 * with pid, uptime, restarts and last exit, and a task that speaks with the
 * voice of its most worrying instance.
 */
import assert from 'node:assert/strict';
import { formatDuration } from '../../../agent/protocol/durations';
import { describe, test } from 'node:test';
import type { DaemonExit, DaemonState } from '../../../agent/protocol';
import {
  describeExit,
  formatUptimeShort,
  instanceDescription,
  instanceLook,
  instanceTooltip,
  skippedLook,
  taskDescription,
  taskLook,
  taskTooltip,
} from '../../../extension/views/daemonPresentation';
import { instance, task } from './daemonFixtures';

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
      exited: ['close', 'charts.red'],
      stopped: ['circle-outline', 'disabledForeground'],
      suspended: ['debug-pause', 'charts.blue'],
    };
    for (const [state, [icon, color]] of Object.entries(expected)) {
      const look = instanceLook(instance({ state: state as DaemonState, pid: null }));
      assert.deepEqual([look.icon, look.color], [icon, color], state);
    }
  });

  test('calls a once run that exited 0 done, and one that failed failed', () => {
    assert.equal(instanceLook(instance({ state: 'exited', pid: null, lastExit: exit({ code: 0 }) })).label, 'done');
    assert.equal(instanceLook(instance({ state: 'exited', pid: null, lastExit: exit({ code: 2 }) })).label, 'failed');
    assert.equal(instanceLook(instance({ state: 'exited', pid: null, lastExit: exit({ signal: 'SIGKILL' }) })).label, 'failed');
  });

  test('shows tasks that do not run here in grey, and invalid ones in red', () => {
    assert.deepEqual(skippedLook({ name: 'a', reason: 'off', configLine: 1 }).color, 'disabledForeground');
    assert.match(skippedLook({ name: 'a', reason: 'out_of_scope', configLine: 1 }).label, /out of role scope/);
    assert.equal(skippedLook({ name: 'a', reason: 'invalid', configLine: 1 }).color, 'charts.red');
  });

  test('describes an instance with its state, pid, uptime and restarts', () => {
    const described = instanceDescription(instance({ pid: 4242, startedAt: 1000, restarts: 2 }), 1000 + 75_000);
    assert.equal(described, 'running · pid 4242 · up 1m · 2 restarts');
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

  test('formats uptimes with one unit in descriptions and two in tooltips', () => {
    assert.deepEqual([0, 59_999, 60_000, 3_599_000, 3_600_000, 90_000_000].map(formatUptimeShort), ['0s', '59s', '1m', '59m', '1h', '1d']);
    assert.deepEqual([0, 62_000, 3_723_000, 90_061_000].map(formatDuration), ['0s', '1m 2s', '1h 2m', '1d 1h']);
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
    const tooltip = instanceTooltip(failing, 0);
    for (const fact of ['**web:0**', 'crash loop', '5 restarts', 'last exit: exit 1', 'exited 5 times', 'restart or reset']) {
      assert.ok(tooltip.includes(fact), `${fact} in ${tooltip}`);
    }
    const whole = taskTooltip({ ...task('web'), requires: ['db'] }, 3000);
    for (const fact of ['control `wait`', 'requires db', 'pid 100', 'up 3s']) assert.ok(whole.includes(fact), `${fact} in ${whole}`);
  });
});
