import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startIdleCompaction } from '../../../agent/server/idleCompaction';

type Global = { gc?: (options?: unknown) => void };
const original = (globalThis as Global).gc;
let stop: () => void = () => undefined;

afterEach(() => {
  stop();
  (globalThis as Global).gc = original;
});

function exposeGcSpy(): unknown[] {
  const calls: unknown[] = [];
  (globalThis as Global).gc = (options) => calls.push(options);
  return calls;
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Grows the resident size by touching fresh memory (kept alive by the caller). */
function grow(megabytes: number): Buffer {
  return Buffer.alloc(megabytes * 1024 * 1024, 1);
}

describe('idle compaction', () => {
  it('does nothing when the process was started without --expose-gc', async () => {
    delete (globalThis as Global).gc;
    stop = startIdleCompaction({ intervalMs: 20 });
    const kept = grow(16);
    await tick(100);
    assert.equal(kept.length > 0, true);
    assert.equal((globalThis as Global).gc, undefined);
  });

  it('runs one memory-reducing collection once an idle process has grown, and not again until it grows again', async () => {
    const calls = exposeGcSpy();
    stop = startIdleCompaction({ intervalMs: 40, growthBytes: 4 * 1024 * 1024 });
    await tick(100);
    assert.equal(calls.length, 0, 'no growth yet');
    const kept = [grow(16)];
    await tick(150);
    assert.deepEqual(calls, [{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
    await tick(150);
    assert.equal(calls.length, 1, 'the new level is the baseline');
    kept.push(grow(16));
    await tick(150);
    assert.equal(calls.length, 2);
  });

  it('leaves a busy process alone, however much it grew', async () => {
    const calls = exposeGcSpy();
    stop = startIdleCompaction({ intervalMs: 40, growthBytes: 4 * 1024 * 1024 });
    const kept = grow(16);
    const busyUntil = Date.now() + 200;
    while (Date.now() < busyUntil) {
      // The event loop is blocked: no check can even run, and the first one after sees a busy interval.
    }
    await tick(0);
    assert.equal(calls.length, 0);
    assert.ok(kept.length > 0);
  });
});
