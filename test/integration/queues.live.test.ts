/**
 * Queues changed while they work, on real processes through the real CLI and agent:
 * `concurrency` edited in taskwarden.yaml while items are queued (the running count follows
 * the new value; lowering it kills nothing), and `retry` of an item pushed with `--after`
 * (its dependencies come with it, or the retry says why they cannot).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { connectToAgent } from '../../agent/cli/agentClient';
import { processIsAlive } from '../../agent/proc/processIdentity';
import { ListQueuesRequest } from '../../agent/queues/protocol';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';
import { queueCli as cli, queueOk as ok } from './queues.helpers';
import { Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

interface Row {
  id: string;
  state: number;
  pid: number | null;
  killed: boolean;
  after: string[];
  error: string | null;
  'time-start': number | null;
  'time-end': number | null;
}

async function listed(ws: TestWorkspace): Promise<Row[]> {
  return JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as Row[];
}

async function show(ws: TestWorkspace, id: string): Promise<Row> {
  return JSON.parse(await ok(ws, ['queue', 'show', id, '--json'])) as Row;
}

/** The queue's concurrency as the agent applies it, asked over its socket. */
async function appliedConcurrency(ws: TestWorkspace): Promise<number | undefined> {
  const attempt = await connectToAgent(fs.realpathSync(ws.dir), 'test');
  if (!attempt.ok) return undefined;
  try {
    const list = await attempt.value.connection.sendRequest(ListQueuesRequest.type, {});
    return list.queues.find((queue) => queue.name === 'q')?.concurrency;
  } finally {
    attempt.value.close();
  }
}

describe('queues changed live', () => {
  it(
    'follows a concurrency edited in taskwarden.yaml: 1 to 2 starts the next without restarting the running one; back to 1 kills nothing and starts nothing until both ended',
    { timeout: 120_000 },
    async () => {
      const ws = workspaces.create('queues:\n  q: {concurrency: 1}\n');
      // Each item runs until its own gate file exists, so the test ends them one at a time.
      const gated = (id: string): string[] => ['sh', '-c', `while [ ! -e ${path.join(ws.dir, `gate-${id}`)} ]; do sleep 0.05; done`];
      const open = (id: string): void => fs.writeFileSync(path.join(ws.dir, `gate-${id}`), '');
      const states = async (): Promise<string> => (await listed(ws)).map((row) => `${row.id}:${row.state}`).join(' ');
      await ok(ws, ['queue', 'push', 'q', '--stdin'], ['long', 'c2', 'c3'].map((id) => JSON.stringify({ id, cmd: gated(id) })).join('\n'));
      await waitFor(async () => (await states()) === 'long:1 c2:0 c3:0', { what: 'long running, two queued' });
      const longPid = (await show(ws, 'long')).pid!;

      fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), 'queues:\n  q: {concurrency: 2}\n');
      await waitFor(async () => (await states()) === 'long:1 c2:1 c3:0', { what: 'c2 started after the edit to 2', timeoutMs: 30_000 });
      const c2Pid = (await show(ws, 'c2')).pid!;
      const long = await show(ws, 'long');
      assert.deepEqual([long.state, long.pid], [1, longPid], 'the running item was not restarted');
      assert.ok(processIsAlive(longPid));

      fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), 'queues:\n  q: {concurrency: 1}\n');
      await waitFor(async () => (await appliedConcurrency(ws)) === 1, { what: 'concurrency 1 applied', timeoutMs: 30_000 });
      assert.equal(await states(), 'long:1 c2:1 c3:0', 'both keep running and c3 stays queued');
      assert.ok(
        [longPid, c2Pid].every((pid) => processIsAlive(pid)),
        'nothing was killed',
      );

      // One ends: one still runs, which is the whole concurrency now, so c3 still waits.
      open('long');
      await waitFor(async () => (await show(ws, 'long')).state === 2, { what: 'long to end' });
      assert.equal(await states(), 'c2:1 c3:0', 'no new start while c2 runs (concurrency 1)');
      open('c2');
      open('c3');
      await ok(ws, ['queue', 'wait-empty', 'q']);
      const records = await Promise.all(['long', 'c2', 'c3'].map((id) => show(ws, id)));
      assert.ok(
        records.every((record) => record.state === 2 && !record.killed),
        JSON.stringify(records),
      );
      assert.ok(records[2]!['time-start']! >= records[1]!['time-end']!, 'c3 started only once c2 had ended');
    },
  );

  it('retry keeps --after: it waits for the same item, and says why when that one failed', { timeout: 120_000 }, async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    const flag = path.join(ws.dir, 'flag');
    // 'a' fails while the flag is missing, so 'b' (after a) fails with "dependency a failed". Both are
    // pushed while the queue is paused: a push --after an item that already failed is refused.
    await ok(ws, ['queue', 'pause', 'q']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'a', '--', 'test', '-e', flag]);
    await ok(ws, ['queue', 'push', 'q', '--id', 'b', '--after', 'a', '--', 'true']);
    await ok(ws, ['queue', 'resume', 'q']);
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.deepEqual([(await show(ws, 'b')).state, (await show(ws, 'b')).error], [-1, 'dependency a failed']);

    const refused = await cli(ws, ['queue', 'retry', 'b']);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /dependency a failed \(Invalid exit code 1\); nothing was pushed: retry 'a' first, then 'taskwarden queue retry b --after NEW_ID'/,
    );
    assert.deepEqual(await listed(ws), [], 'the refused retry queued nothing');

    fs.writeFileSync(flag, '');
    const a2 = (await ok(ws, ['queue', 'retry', 'a', '--id', 'a2'])).trim();
    assert.equal(a2, 'a2');
    const b2 = (await ok(ws, ['queue', 'retry', 'b', '--id', 'b2', '--after', 'a2'])).trim();
    await ok(ws, ['queue', 'wait-empty', 'q']);
    const [first, second] = [await show(ws, a2), await show(ws, b2)];
    assert.deepEqual([first.state, second.state, second.after], [2, 2, ['a2']]);
    assert.ok(second['time-start']! >= first['time-end']!);

    // A retry without --after keeps the dependency, which now ended well.
    const b3 = (await ok(ws, ['queue', 'retry', 'b2', '--id', 'b3'])).trim();
    await ok(ws, ['queue', 'wait-empty', 'q']);
    const third = await show(ws, b3);
    assert.deepEqual([third.state, third.after], [2, ['a2']]);
  });
});
