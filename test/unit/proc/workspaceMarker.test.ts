import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markedEnvironment, parseRunMark } from '../../../agent/proc/workspaceMarker';

describe('a run started by the agent', () => {
  test('carries its workspace and its run in one variable each', () => {
    assert.deepEqual(markedEnvironment({ PATH: '/bin' }, { workspace: '/w', run: { part: 'tasks', id: '7' } }), {
      PATH: '/bin',
      TASKWARDEN_WORKSPACE: '/w',
      TASKWARDEN_RUN: 'tasks:7',
    });
  });

  test('is no daemon instance when launched from a daemon of another workspace: the inherited marks are replaced', () => {
    const inherited = { TASKWARDEN_WORKSPACE: '/other', TASKWARDEN_RUN: 'daemons:web:0' };
    assert.deepEqual(markedEnvironment(inherited, { workspace: '/w', run: { part: 'tasks', id: '9' } }), {
      TASKWARDEN_WORKSPACE: '/w',
      TASKWARDEN_RUN: 'tasks:9',
    });
    assert.deepEqual(markedEnvironment(inherited, { workspace: '/w', run: null }), { TASKWARDEN_WORKSPACE: '/w' });
  });

  test('keeps an environment that carries its marks already as it is (a daemon restarting builds it once)', () => {
    const env = { TASKWARDEN_WORKSPACE: '/w', TASKWARDEN_RUN: 'daemons:web:0' };
    assert.equal(markedEnvironment(env, { workspace: '/w', run: { part: 'daemons', id: 'web:0' } }), env);
  });
});

describe('a run mark read back from a process', () => {
  test('names the part and the id, which may hold colons', () => {
    assert.deepEqual(parseRunMark('daemons:web:0'), { part: 'daemons', id: 'web:0' });
    assert.deepEqual(parseRunMark('queues:build-3'), { part: 'queues', id: 'build-3' });
  });

  test('is no run when it is missing or not part:id', () => {
    for (const value of [null, '', 'tasks', ':7', 'tasks:']) assert.equal(parseRunMark(value), null, String(value));
  });
});
