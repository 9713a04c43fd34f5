import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startIdleCompaction } from '../../../agent/server/idleCompaction';

const MB = 1024 * 1024;
let stop: () => void = () => undefined;
afterEach(() => stop());

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A resident size the test sets, and a gc that records its calls and shrinks it back. */
function fakeProcess(startMb: number): { resident: number; calls: unknown[]; gc: (options?: unknown) => void } {
  const fake = {
    resident: startMb * MB,
    calls: [] as unknown[],
    gc: (options?: unknown) => {
      fake.calls.push(options);
      fake.resident = startMb * MB;
    },
  };
  return fake;
}

describe('idle compaction', () => {
  it('does nothing when the process was started without --expose-gc', () => {
    const exposed = (globalThis as { gc?: unknown }).gc;
    assert.equal(exposed, undefined, 'the unit tests run without --expose-gc');
    stop = startIdleCompaction({ intervalMs: 10 });
    // Returns a stopper and schedules nothing that could call a missing gc.
    assert.equal(typeof stop, 'function');
  });

  it('runs one memory-reducing collection once an idle process has grown, and not again until it grows again', async () => {
    const fake = fakeProcess(50);
    stop = startIdleCompaction({ intervalMs: 20, growthBytes: 4 * MB, residentBytes: () => fake.resident, gc: fake.gc });
    await tick(80);
    assert.equal(fake.calls.length, 0, 'no growth yet');
    fake.resident += 3 * MB;
    await tick(80);
    assert.equal(fake.calls.length, 0, 'grown less than the threshold');
    fake.resident += 2 * MB;
    await tick(80);
    assert.deepEqual(fake.calls, [{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
    await tick(80);
    assert.equal(fake.calls.length, 1, 'back at the baseline: nothing more to do');
    fake.resident += 6 * MB;
    await tick(80);
    assert.equal(fake.calls.length, 2);
  });

  it('leaves a busy process alone, however much it grew', async () => {
    const fake = fakeProcess(50);
    stop = startIdleCompaction({ intervalMs: 20, residentBytes: () => fake.resident, gc: fake.gc });
    fake.resident += 40 * MB;
    // Busy for several intervals: the checks that run in between see a loaded event loop.
    for (let round = 0; round < 5; round++) {
      const busyUntil = Date.now() + 30;
      while (Date.now() < busyUntil) {
        // Work without yielding.
      }
      await tick(1);
    }
    assert.equal(fake.calls.length, 0);
  });
});
