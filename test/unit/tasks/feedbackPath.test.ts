/**
 * Feedback file names and the read plan that tells the agent which bytes are new.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { feedbackFilePath, planFeedbackRead, taskIdOfFeedbackFile, type FeedbackFileMark } from '../../../agent/tasks/feedbackPath';

describe('feedback file path', () => {
  test('the file is feedback_<id>.log in the feedback folder', () => {
    assert.deepEqual(feedbackFilePath('/runs/1', '42'), { ok: true, value: '/runs/1/feedback_42.log' });
    assert.deepEqual(feedbackFilePath('/runs/1/', 'a-B_9'), { ok: true, value: '/runs/1/feedback_a-B_9.log' });
  });

  test('an id that could escape the folder or is not a plain name is an error value', () => {
    for (const id of ['', '..', '../etc/passwd', 'a/b', 'a.b', 'a b', 'x'.repeat(65)]) {
      const result = feedbackFilePath('/runs', id);
      assert.equal(result.ok, false, id);
      if (!result.ok) {
        assert.equal(result.error.reason, 'invalid-task-id');
        assert.match(result.error.message, /invalid task id/);
      }
    }
  });

  test('the task id is read back from a feedback file name', () => {
    assert.equal(taskIdOfFeedbackFile('feedback_12.log'), '12');
    assert.equal(taskIdOfFeedbackFile('feedback_.log'), null);
    assert.equal(taskIdOfFeedbackFile('feedback_12.log.1'), null);
    assert.equal(taskIdOfFeedbackFile('other_12.log'), null);
  });
});

describe('read plan', () => {
  const mark: FeedbackFileMark = { ino: 7, offset: 100, mtimeMs: 1000 };

  test('a missing file is reported as missing', () => {
    assert.deepEqual(planFeedbackRead(mark, null), { kind: 'missing' });
    assert.deepEqual(planFeedbackRead(null, null), { kind: 'missing' });
  });

  test('a first look reads the whole file', () => {
    assert.deepEqual(planFeedbackRead(null, { ino: 7, size: 30, mtimeMs: 5 }), {
      kind: 'rewrite',
      reason: 'created',
      start: 0,
      end: 30,
    });
  });

  test('appended bytes are read from the mark to the new size', () => {
    assert.deepEqual(planFeedbackRead(mark, { ino: 7, size: 160, mtimeMs: 2000 }), {
      kind: 'append',
      start: 100,
      end: 160,
    });
  });

  test('a truncated file is read again from the start', () => {
    assert.deepEqual(planFeedbackRead(mark, { ino: 7, size: 10, mtimeMs: 2000 }), {
      kind: 'rewrite',
      reason: 'truncated',
      start: 0,
      end: 10,
    });
  });

  test('a file replaced by a rename is read again from the start even if it is larger', () => {
    assert.deepEqual(planFeedbackRead(mark, { ino: 8n, size: 500, mtimeMs: 2000 }), {
      kind: 'rewrite',
      reason: 'replaced',
      start: 0,
      end: 500,
    });
  });

  test('a touch without new bytes is a heartbeat and nothing at all is unchanged', () => {
    assert.deepEqual(planFeedbackRead(mark, { ino: 7, size: 100, mtimeMs: 1500 }), { kind: 'touched' });
    assert.deepEqual(planFeedbackRead(mark, { ino: 7n, size: 100, mtimeMs: 1000 }), { kind: 'unchanged' });
  });
});
