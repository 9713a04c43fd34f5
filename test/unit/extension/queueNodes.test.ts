/**
 * The Queues view's node ids: an id that is live and also in the history (pushed again, or
 * retried under the same id), or twice in the history, gives rows with ids of their own (VS Code
 * refuses a tree with two rows of one id), and each history row finds its own run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueueItem } from '../../../agent/queues/protocol';
import { endedItem, itemNode, queueNodeId } from '../../../extension/queues/queueNodes';

function item(state: QueueItem['state'], timeQueue: number): QueueItem {
  return {
    id: 'again',
    queue: 'build',
    state,
    cmd: ['make'],
    cwd: null,
    env: {},
    after: [],
    pid: null,
    exit: state === 2 ? 0 : null,
    stderr: 0,
    error: null,
    warnings: [],
    killed: false,
    timeQueue,
    timeStart: null,
    timeEnd: null,
    final: null,
    stdoutFile: null,
    stderrFile: null,
  };
}

describe('the Queues view nodes', () => {
  it('gives a live item and each finished run of the same id a node id of its own', () => {
    const live = item(1, 3000);
    const history = [item(2, 2000), item(-1, 1000)];
    const ids = [live, ...history].map((each) => queueNodeId(itemNode(each)));
    assert.equal(new Set(ids).size, 3, ids.join(' '));
    assert.deepEqual(ids[0], 'item:again');
    for (const run of history) {
      const node = itemNode(run);
      assert.equal(node.kind, 'ended');
      assert.equal(node.kind === 'ended' ? endedItem(history, node) : undefined, run);
    }
  });
});
