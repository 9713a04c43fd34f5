/**
 * A model's coalesced reads: one at a time, asks while one runs become one read after it, and
 * each ask resolves only once a read that began after it has ended.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CoalescedReads } from '../../../extension/shared/coalescedReads';

/** A read the test ends by hand, counting how many began and how many run at once. */
function manualReads(): { reads: CoalescedReads; began: number; atOnce: number; finish(): void } {
  const pending: (() => void)[] = [];
  let running = 0;
  const state = {
    began: 0,
    atOnce: 0,
    finish: () => pending.shift()?.(),
    reads: new CoalescedReads(
      () =>
        new Promise<void>((resolve) => {
          state.began++;
          running++;
          state.atOnce = Math.max(state.atOnce, running);
          pending.push(() => {
            running--;
            resolve();
          });
        }),
    ),
  };
  return state;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('coalesced reads', () => {
  test('asks during a read make one read after it, never two at once', async () => {
    const state = manualReads();
    let firstDone = false;
    let laterDone = 0;
    void state.reads.run().then(() => (firstDone = true));
    for (let i = 0; i < 5; i++) void state.reads.run().then(() => laterDone++);
    assert.equal(state.began, 1);
    assert.equal(state.reads.busy, true);
    state.finish();
    await turn();
    assert.equal(firstDone, true);
    assert.equal(laterDone, 0, 'the later asks wait for the read that began after them');
    assert.equal(state.began, 2);
    state.finish();
    await turn();
    assert.equal(laterDone, 5);
    assert.equal(state.began, 2);
    assert.equal(state.atOnce, 1);
    assert.equal(state.reads.busy, false);
  });

  test('an ask with no read on its way reads at once', async () => {
    const state = manualReads();
    const done = state.reads.run();
    assert.equal(state.began, 1);
    state.finish();
    await done;
    void state.reads.run();
    assert.equal(state.began, 2);
    state.finish();
  });
});
