import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startIdleCompaction } from '../../../agent/server/idleCompaction';
import { waitFor } from '../../integration/support/waitFor';

const MB = 1024 * 1024;
let stop: () => void = () => undefined;
afterEach(() => stop());

/**
 * A resident size the test sets, read once per check (so `checks` counts them), and a gc that
 * records the arguments of each call and shrinks the size back.
 */
function fakeProcess(startMb: number) {
  const fake = {
    resident: startMb * MB,
    checks: 0,
    calls: [] as unknown[][],
    residentBytes: () => {
      fake.checks++;
      return fake.resident;
    },
    gc: (...args: unknown[]) => {
      fake.calls.push(args);
      fake.resident = startMb * MB;
    },
    /** Resolves once `count` more checks have run. */
    checksPass: (count: number) => {
      const target = fake.checks + count;
      return waitFor(() => fake.checks >= target, { intervalMs: 5, what: `${count} more checks` });
    },
  };
  return fake;
}

/** Generous: on a loaded machine a timer callback alone must not make the fake process count as busy. */
const IDLE_BELOW = 0.5;

describe('idle compaction', () => {
  it('does nothing when the process was started without --expose-gc', () => {
    const exposed = (globalThis as { gc?: unknown }).gc;
    assert.equal(exposed, undefined, 'the unit tests run without --expose-gc');
    stop = startIdleCompaction({ intervalMs: 10 });
    // Returns a stopper and schedules nothing that could call a missing gc.
    assert.equal(typeof stop, 'function');
  });

  it('compacts once when start-up is over, then again only when an idle process has grown past the threshold', async () => {
    const fake = fakeProcess(50);
    const { residentBytes, gc } = fake;
    stop = startIdleCompaction({ intervalMs: 10, growthBytes: 4 * MB, idleUtilization: IDLE_BELOW, residentBytes, gc });
    await waitFor(() => fake.calls.length === 1, { what: 'the start-up compaction' });
    // A plain gc() is V8's full collection; an options object would get a scavenge only.
    assert.deepEqual(fake.calls, [[]], 'gc() is called without options');
    await fake.checksPass(3);
    assert.equal(fake.calls.length, 1, 'back at the baseline: nothing more to do');
    fake.resident += 3 * MB;
    await fake.checksPass(3);
    assert.equal(fake.calls.length, 1, 'grown less than the threshold');
    fake.resident += 2 * MB;
    await waitFor(() => fake.calls.length === 2, { what: 'a compaction after growing 5 MB' });
    await fake.checksPass(3);
    assert.equal(fake.calls.length, 2, 'compacted back: nothing more to do');
  });

  it('leaves a busy process alone, however much it grew', async () => {
    const fake = fakeProcess(50);
    stop = startIdleCompaction({ intervalMs: 20, residentBytes: fake.residentBytes, gc: fake.gc });
    fake.resident += 40 * MB;
    // Busy for several intervals: the checks that run in between see a loaded event loop.
    const checksBefore = fake.checks;
    while (fake.checks < checksBefore + 5) {
      const busyUntil = Date.now() + 30;
      while (Date.now() < busyUntil) {
        // Work without yielding.
      }
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal(fake.calls.length, 0);
  });
});
