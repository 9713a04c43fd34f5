import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daemonReferenceCompletion } from '../../../agent/daemons/referenceCompletion';
import { withCursor } from '../server/cursorText';

function names(marked: string): string[] {
  const { text, line, character } = withCursor(marked);
  return daemonReferenceCompletion(text, line, character).map((item) => item.label);
}

const TASKS =
  'tasks:\n  db: {commands: {start: [db]}, control: once}\n  cache: {commands: {start: [cache]}}\n  web:\n    commands: {start: [web]}\n';

describe('task names where a daemon refers to another', () => {
  it('completes the other tasks in requires: one name, a flow list, a block list item', () => {
    assert.deepEqual(names(`${TASKS}    requires: ‸`), ['db', 'cache']);
    assert.deepEqual(names(`${TASKS}    requires: [db, ca‸]`), ['db', 'cache']);
    assert.deepEqual(names(`${TASKS}    requires:\n      - db\n      - ‸`), ['db', 'cache']);
  });

  it('completes the task of an onexit entry, written first or after its type', () => {
    assert.deepEqual(names(`${TASKS}    onexit:\n      - type: start\n        task: ‸`), ['db', 'cache']);
    assert.deepEqual(names(`${TASKS}    onexit: [{type: start, task: ‸}]`), ['db', 'cache']);
  });

  it('replaces the half-typed name', () => {
    const { text, line, character } = withCursor(`${TASKS}    requires: ca‸`);
    const item = daemonReferenceCompletion(text, line, character).find((candidate) => candidate.label === 'cache');
    assert.deepEqual(item?.textEdit, { range: { start: { line: 5, character: 14 }, end: { line: 5, character: 16 } }, newText: 'cache' });
  });

  it('offers no names elsewhere: a key, another value, a job', () => {
    assert.deepEqual(names(`${TASKS}    ‸`), []);
    assert.deepEqual(names(`${TASKS}    cwd: ‸`), []);
    assert.deepEqual(names(`${TASKS}jobs:\n  j:\n    task: ‸`), []);
  });
});
