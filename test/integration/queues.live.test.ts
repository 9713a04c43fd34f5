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
import { ListQueuesRequest } from '../../agent/protocol/queues';
import { waitFor } from './support/waitFor';
import type { CliResult, TestWorkspace } from './support/workspace';
import { runCli } from './support/workspace';
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

function cli(ws: TestWorkspace, args: string[], input?: string): Promise<CliResult> {
  return runCli(['-w', ws.dir, ...args], { cwd: ws.dir, ...(input === undefined ? {} : { input }) });
}

async function ok(ws: TestWorkspace, args: string[], input?: string): Promise<string> {
  const result = await cli(ws, args, input);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
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
    'follows a concurrency edited in taskwarden.yaml while items are queued, killing nothing when it drops',
    { timeout: 120_000 },
    async () => {
      const ws = workspaces.create('queues:\n  q: {concurrency: 1}\n');
      const gate = path.join(ws.dir, 'gate');
      const wait = ['sh', '-c', `while [ ! -e ${gate} ]; do sleep 0.05; done`];
      const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
      await ok(ws, ['queue', 'push', 'q', '--stdin'], ids.map((id) => JSON.stringify({ id, cmd: wait })).join('\n'));
      await waitFor(async () => (await listed(ws)).filter((row) => row.state === 1).length === 1, { what: 'one running' });

      fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), 'queues:\n  q: {concurrency: 3}\n');
      const three = await waitFor(
        async () => {
          const rows = await listed(ws);
          return rows.filter((row) => row.state === 1).length === 3 ? rows : null;
        },
        { what: 'three running after the edit', timeoutMs: 30_000 },
      );
      assert.deepEqual(
        three.map((row) => [row.id, row.state]),
        [
          ['c1', 1],
          ['c2', 1],
          ['c3', 1],
          ['c4', 0],
          ['c5', 0],
          ['c6', 0],
        ],
        'the next ones in push order started',
      );
      const pids = three.filter((row) => row.state === 1).map((row) => row.pid!);

      fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), 'queues:\n  q: {concurrency: 1}\n');
      await waitFor(async () => (await appliedConcurrency(ws)) === 1, { what: 'concurrency 1 applied', timeoutMs: 30_000 });
      const after = await listed(ws);
      assert.deepEqual(
        after.map((row) => row.state),
        [1, 1, 1, 0, 0, 0],
        'the three keep running and nothing new starts',
      );
      assert.ok(
        pids.every((pid) => processIsAlive(pid)),
        'nothing was killed',
      );

      fs.writeFileSync(gate, '');
      await ok(ws, ['queue', 'wait-empty', 'q']);
      const records = await Promise.all(ids.map((id) => show(ws, id)));
      assert.ok(
        records.every((record) => record.state === 2 && !record.killed),
        JSON.stringify(records),
      );
      const firstThreeEnd = Math.max(...records.slice(0, 3).map((record) => record['time-end']!));
      assert.ok(records[3]!['time-start']! >= firstThreeEnd, 'c4 started only once the three had ended (concurrency 1)');
      for (let index = 4; index < records.length; index++)
        assert.ok(records[index]!['time-start']! >= records[index - 1]!['time-end']!, 'then one at a time');
    },
  );

  it('retry keeps --after: it waits for the same item, and says why when that one failed', { timeout: 120_000 }, async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    const flag = path.join(ws.dir, 'flag');
    // 'a' fails while the flag is missing, so 'b' (after a) fails with "dependency a failed".
    await ok(ws, ['queue', 'push', 'q', '--id', 'a', '--', 'test', '-e', flag]);
    await ok(ws, ['queue', 'push', 'q', '--id', 'b', '--after', 'a', '--', 'true']);
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.deepEqual([(await show(ws, 'b')).state, (await show(ws, 'b')).error], [-1, 'dependency a failed']);

    const refused = await cli(ws, ['queue', 'retry', 'b']);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /'b' runs after 'a', which failed \(Invalid exit code 1\); retry 'a' first, then 'taskwarden queue retry b --after NEW_ID'/,
    );

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
