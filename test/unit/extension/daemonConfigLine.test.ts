/**
 * "Go to Config" without a line from the agent: the task's key under `tasks:`,
 * quoted or not, at the task level only, and the agent's line checked
 * against an edited buffer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findTaskKey, keyOnLine } from '../../../extension/daemons/daemonConfigLine';

const CONFIG = [
  'settings:',
  '  web: not a task',
  'tasks:',
  '  # the database first',
  '  db:',
  '    commands: {start: [postgres]}',
  '    requires: [web]',
  "  'web':",
  '    commands:',
  '      web: [not, a, task]',
  '  "a.b":',
  '    count: 2',
  'defines:',
  '  db: other',
].join('\n');

describe('finding a task in taskwarden.yaml', () => {
  test('finds a plain key under tasks, not one of the same name elsewhere', () => {
    assert.deepEqual(findTaskKey(CONFIG, 'db'), { line: 5, start: 2, end: 4 });
  });

  test('finds a quoted key and skips deeper keys of the same name', () => {
    assert.deepEqual(findTaskKey(CONFIG, 'web'), { line: 8, start: 3, end: 6 });
  });

  test('takes the name literally, dots included', () => {
    assert.deepEqual(findTaskKey(CONFIG, 'a.b'), { line: 11, start: 3, end: 6 });
    assert.equal(findTaskKey(CONFIG, 'aXb'), null);
  });

  test('finds nothing without a tasks section or without the task', () => {
    assert.equal(findTaskKey('settings: {}\n', 'db'), null);
    assert.equal(findTaskKey(CONFIG, 'cache'), null);
  });

  test("uses the agent's line when it still holds the key, and not when the buffer moved it", () => {
    assert.deepEqual(keyOnLine(CONFIG, 5, 'db'), { line: 5, start: 2, end: 4 });
    assert.equal(keyOnLine(CONFIG, 6, 'db'), null);
    assert.deepEqual(keyOnLine('tasks: {db: {commands: {start: [x]}}}', 1, 'db'), { line: 1, start: 8, end: 10 });
  });
});
