/** The state notes of daemon output channels. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatStateLine, stateKey } from '../../../extension/daemons/daemonOutputFormat';
import { instance } from './daemonFixtures';

describe('daemon output state notes', () => {
  test('writes state changes as notes with pid, last exit and message', () => {
    assert.equal(formatStateLine(instance({ pid: 42 })), '── web:0 running, pid 42 ──');
    const stopped = instance({
      state: 'stopped',
      pid: null,
      lastExit: { code: null, signal: 'SIGTERM', at: 0, reason: 'stopped by user' },
    });
    assert.equal(formatStateLine(stopped), '── web:0 stopped, last exit: SIGTERM (stopped by user) ──');
    assert.equal(formatStateLine(instance({ state: 'waiting', pid: null, waitingFor: ['db'] })), '── web:0 waiting for db ──');
    const done = instance({ state: 'exited', pid: null, lastExit: { code: 0, signal: null, at: 0, reason: null } });
    assert.equal(formatStateLine(done), '── web:0 done, last exit: exit 0 ──');
  });

  test('reports a new state line only when the state or the pid changed', () => {
    assert.equal(stateKey(instance({ restarts: 1 })), stateKey(instance({ restarts: 2 })));
    assert.notEqual(stateKey(instance({ pid: 1 })), stateKey(instance({ pid: 2 })));
  });
});
