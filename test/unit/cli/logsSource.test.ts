import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSourceArgument } from '../../../agent/cli/commands/logsSource';
import { PARTS } from '../../../agent/parts';

function sourceOf(argument: string): unknown {
  const parsed = parseSourceArgument(argument, PARTS);
  return parsed.ok ? parsed.value : parsed.error.message;
}

describe('the argument of taskwarden logs', () => {
  test('names a run of the part whose prefix it carries', () => {
    assert.deepEqual(sourceOf('task:7'), { part: 'tasks', id: '7' });
    assert.deepEqual(sourceOf('queue:build:3'), { part: 'queues', id: 'build:3' });
    assert.deepEqual(sourceOf('daemon:task:0'), { part: 'daemons', id: 'task:0' });
  });

  test('names a daemon when it carries no known prefix', () => {
    assert.deepEqual(sourceOf('web'), { part: 'daemons', id: 'web' });
    assert.deepEqual(sourceOf('web:1'), { part: 'daemons', id: 'web:1' });
  });

  test("is refused with the part's own spelling when its id cannot name a run", () => {
    assert.equal(sourceOf('task:seven'), "'task:seven': a task is task:ID, ID a number (see taskwarden task list)");
    assert.equal(sourceOf('queue:'), "'queue:': a queue item is queue:ID (see taskwarden queue list)");
    assert.match(String(sourceOf(' ')), /^' ': a daemon is NAME\[:instance\]/);
  });

  test('with no part named bare, says every spelling', () => {
    const parts = PARTS.filter((part) => part.runs?.logs.bare !== true);
    const parsed = parseSourceArgument('web', parts);
    assert.equal(parsed.ok ? 'parsed' : parsed.error.message, "'web': give task:ID, group:ID, queue:ID or job:ID");
  });
});
