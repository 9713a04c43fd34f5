/**
 * The checks of a launch request and the child's argv and environment:
 * `{feedback}` substitution, TASKWARDEN_* variables, and clear messages for
 * every bad parameter.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkLaunchParams, defaultTaskName, substituteFeedback, taskEnvironment } from '../../../agent/tasks/launchParams';
import type { LaunchTaskParams } from '../../../agent/tasks/protocol';

function message(params: unknown): string {
  const checked = checkLaunchParams(params as LaunchTaskParams);
  assert.equal(checked.ok, false);
  return checked.ok ? '' : checked.error.message;
}

describe('a launch request', () => {
  test('is normalized with its defaults', () => {
    const checked = checkLaunchParams({ argv: ['ls', '-l'] });
    assert.deepEqual(checked, {
      ok: true,
      value: {
        argv: ['ls', '-l'],
        taskId: null,
        name: null,
        info: [null, null, null],
        feedpath: null,
        timeoutMs: null,
        keepFeedback: false,
        cwd: null,
        env: null,
      },
    });
  });

  test('needs a non-empty command of strings', () => {
    assert.match(message({ argv: [] }), /the command is empty/);
    assert.match(message({ argv: [''] }), /the command is empty/);
    assert.match(message({ argv: ['ls', 3] }), /every word of the command must be a string/);
    assert.match(message(null), /missing/);
  });

  test('refuses bad ids, timeouts, paths and env', () => {
    assert.match(message({ argv: ['x'], taskId: 0 }), /invalid task id 0/);
    assert.match(message({ argv: ['x'], taskId: 1.5 }), /invalid task id 1.5/);
    assert.match(message({ argv: ['x'], timeoutMs: -1 }), /invalid timeout -1/);
    assert.match(message({ argv: ['x'], cwd: 'relative' }), /working folder must be an absolute path/);
    assert.match(message({ argv: ['x'], taskId: 1, feedpath: 'relative' }), /feedback folder must be an absolute path/);
    assert.match(message({ argv: ['x'], env: { A: 1 } }), /env must map names to strings/);
    assert.match(message({ argv: ['x'], name: 7 }), /name must be a string/);
  });

  test('with a feedback folder needs a reserved id, and {feedback} needs a feedback folder', () => {
    assert.match(message({ argv: ['x'], feedpath: '/tmp' }), /needs a reserved id/);
    assert.match(message({ argv: ['x', '--out={feedback}'] }), /uses \{feedback\} but no feedback folder/);
    assert.equal(checkLaunchParams({ argv: ['x', '{feedback}'], feedpath: '/tmp', taskId: 4 }).ok, true);
  });
});

describe('the child of a task', () => {
  test('gets {feedback} replaced wherever it appears in its argv', () => {
    assert.deepEqual(substituteFeedback(['run', '--feedback', '{feedback}', '--log={feedback}.old'], '/f/feedback_3.log'), [
      'run',
      '--feedback',
      '/f/feedback_3.log',
      '--log=/f/feedback_3.log.old',
    ]);
    assert.deepEqual(substituteFeedback(['{feedback}'], null), ['{feedback}']);
  });

  test('gets its id and feedback file in its environment, and no stale feedback file without one', () => {
    assert.deepEqual(taskEnvironment({ PATH: '/bin', GONE: undefined }, 7, '/f/feedback_7.log'), {
      PATH: '/bin',
      TASKWARDEN_TASK_ID: '7',
      TASKWARDEN_FEEDBACK_FILE: '/f/feedback_7.log',
    });
    assert.deepEqual(taskEnvironment({ TASKWARDEN_FEEDBACK_FILE: '/old' }, 8, null), { TASKWARDEN_TASK_ID: '8' });
  });

  test('is named after its command when no name is given', () => {
    assert.equal(defaultTaskName(['/usr/local/bin/checkitbaby.py', '--run', '1']), 'checkitbaby.py');
  });
});
