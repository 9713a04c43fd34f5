import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outputFilesOf, outputName } from '../../../agent/queues/outputFiles';
import { afterProblem, comebackProblem, idProblem, type PushView } from '../../../agent/queues/pushChecks';

interface Item {
  id: string;
  queue: string;
  after: string[];
  state: number;
}

/** Live items and history rows of a made-up part. */
function view(live: Item[], ended: Record<string, { state: number; error: string | null }> = {}): PushView {
  const byId = new Map(live.map((item) => [item.id, item]));
  return {
    live: (id) => byId.get(id),
    waiting: () => live.filter((item) => item.after.length > 0),
    ended: (id) => ended[id] ?? null,
  };
}

describe('queue push checks', () => {
  it('refuses ids a command line reads as an option or that hold a control character, and keeps others', () => {
    assert.match(idProblem('-x') ?? '', /starts with '-'/);
    assert.match(idProblem('--') ?? '', /starts with '-'/);
    assert.match(idProblem('a\nb') ?? '', /control character/);
    assert.equal(idProblem('a-b/c d:e'), null);
  });

  it('lets --after name a live item, an earlier one of the batch or one that ended well; refuses unknown and failed ones', () => {
    const parts = view([{ id: 'q1', queue: 'B', after: [], state: 0 }], {
      good: { state: 2, error: null },
      bad: { state: -1, error: 'Invalid exit code 3' },
    });
    const item = (after: string[]) => ({ id: 'n', queue: 'A', after });
    assert.equal(afterProblem(item(['q1', 'good', 'mine']), new Set(['mine']), parts), null);
    assert.match(
      afterProblem(item(['nope']), new Set(), parts) ?? '',
      /^--after 'nope': no item 'nope' is queued, running or in the history .*trimmed/,
    );
    assert.equal(afterProblem(item(['bad']), new Set(), parts), "--after 'bad': dependency bad failed (Invalid exit code 3)");
  });

  it('refuses an id coming back while an item queued before it in its queue waits for it', () => {
    const parts = view([{ id: 'y', queue: 'A', after: ['x'], state: 0 }]);
    assert.match(
      comebackProblem([{ id: 'x', queue: 'A', after: [] }], parts) ?? '',
      /^'y' waits for 'x' \(--after\) and is queued before it in 'A'/,
    );
    assert.equal(comebackProblem([{ id: 'x', queue: 'B', after: [] }], parts), null, 'in another queue it only waits for the new run');
  });

  it('refuses an id coming back that would close a cycle across queues, naming the ids in order', () => {
    const parts = view([
      { id: 'y', queue: 'B', after: ['x'], state: 0 },
      { id: 'z', queue: 'C', after: ['y'], state: 0 },
      { id: 'r', queue: 'D', after: ['x'], state: 1 },
    ]);
    assert.equal(
      comebackProblem([{ id: 'x', queue: 'A', after: ['z'] }], parts),
      "'x' would close a cycle of --after: x → z → y → x (each would wait for ever)",
    );
    assert.equal(comebackProblem([{ id: 'x', queue: 'A', after: [] }], parts), null);
  });

  it('follows a chain of --after thousands long to find a cycle', () => {
    const chain: Item[] = [{ id: 'c0', queue: 'B', after: ['x'], state: 0 }];
    for (let n = 1; n < 20_000; n++) chain.push({ id: `c${n}`, queue: 'B', after: [`c${n - 1}`], state: 0 });
    const message = comebackProblem([{ id: 'x', queue: 'A', after: ['c19999'] }], view(chain)) ?? '';
    assert.match(message, /^'x' would close a cycle of --after: x → c19999 → c19998 → c19997 → … 19995 more … → c1 → c0 → x \(/);
  });

  it('names output files uniquely and stably: a safe id as it is, any other with a hash of the exact id', () => {
    assert.equal(outputName('build-1.a~2'), 'build-1.a~2');
    assert.notEqual(outputName('a/b'), outputName('a_b'));
    assert.notEqual(outputName('a/b'), outputName('a b'));
    assert.match(outputName('a/b'), /^a_b\+[0-9a-f]{12}$/);
    assert.equal(outputName('a/b'), outputName('a/b'));
    const long = outputName('x'.repeat(300));
    assert.ok(long.length < 140 && long !== outputName(`${'x'.repeat(299)}y`));
    assert.equal(outputFilesOf('/logs', 'a/b').stdoutFile, `/logs/${outputName('a/b')}.out`);
  });
});
