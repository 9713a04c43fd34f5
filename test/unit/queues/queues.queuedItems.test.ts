/**
 * The queued list's kept `queue list --json` rows stay equal to a fresh serialization of its
 * items, in order, through every change a queue makes: push, start of the head, remove, move,
 * clear, and a list with a limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processQueueRecord } from '../../../agent/queues/protocol';
import { QueueEntry } from '../../../agent/queues/queueEntry';
import { QueuedItems } from '../../../agent/queues/queuedItems';

function entry(id: string): QueueEntry {
  return new QueueEntry(id, 'q', 0, { cmd: ['echo', id], cwd: null, env: { K: `"${id}"` }, after: [] }, 1000);
}

function fresh(items: QueuedItems, limit?: number): unknown[] {
  return items.slice(0, limit).map((item) => processQueueRecord(item.record()));
}

function listed(items: QueuedItems, limit?: number): unknown[] {
  return JSON.parse(`[${items.json(limit)}]`) as unknown[];
}

describe('queued items', () => {
  it('lists the same rows as a fresh serialization after every kind of change', () => {
    const items = new QueuedItems();
    assert.deepEqual(listed(items), []);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry) as [QueueEntry, QueueEntry, QueueEntry, QueueEntry];
    items.push(a);
    items.push(b);
    assert.deepEqual(listed(items), fresh(items));
    items.push(c);
    assert.deepEqual(listed(items), fresh(items), 'a push after a list appends its row');
    assert.equal(items.shift(), a);
    assert.deepEqual(listed(items), fresh(items), 'the started head leaves the front');
    assert.equal(items.remove(c), true);
    assert.equal(items.remove(c), false);
    items.push(d);
    assert.deepEqual(listed(items), fresh(items));
    items.remove(d);
    items.insert(0, d);
    assert.deepEqual(
      listed(items).map((row) => (row as { id: string }).id),
      ['d', 'b'],
    );
    assert.deepEqual(listed(items, 1), fresh(items, 1));
    assert.equal(items.shift(), d);
    assert.equal(items.shift(), b);
    assert.deepEqual(listed(items), []);
    items.push(a);
    assert.deepEqual(listed(items), fresh(items), 'a push into an emptied list');
    assert.deepEqual(items.clear(), [a]);
    assert.deepEqual(listed(items), []);
  });

  it('counts the ids its items run --after through push, start, remove, move and clear', () => {
    const waiting = (id: string, after: string[]): QueueEntry =>
      new QueueEntry(id, 'q', 0, { cmd: ['true'], cwd: null, env: {}, after }, 1000);
    const items = new QueuedItems();
    const [a, b, c] = [waiting('a', ['x']), waiting('b', ['x', 'y']), waiting('c', [])];
    for (const item of [a, b, c]) items.push(item);
    assert.deepEqual([...items.awaited()].sort(), ['x', 'y']);
    assert.equal(items.shift(), a);
    assert.deepEqual([...items.awaited()].sort(), ['x', 'y'], 'b still waits for x');
    items.remove(b);
    assert.deepEqual([...items.awaited()], []);
    items.insert(0, b);
    assert.deepEqual([...items.awaited()].sort(), ['x', 'y'], 'a moved item counts again');
    items.clear();
    assert.deepEqual([...items.awaited()], []);
  });
});
