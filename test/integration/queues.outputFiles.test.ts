/**
 * Queue items' output files on real processes: items trimmed from the history (history_limit)
 * lose their files, which become spares for later items (agent/queues/spareFiles.ts), and an
 * item given a spare holds its own output only, also after an agent restart.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { queueOk as ok } from './queues.helpers';
import type { TestWorkspace } from './support/workspace';
import { Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

interface Finished {
  id: string;
  state: number;
  stdoutFile: string | null;
  stderrFile: string | null;
}

/** Pushes items that each print their id on stdout and stderr, and waits until they ran. */
async function runItems(ws: TestWorkspace, ids: readonly string[]): Promise<void> {
  const lines = ids.map((id) => JSON.stringify({ id, cmd: ['sh', '-c', `echo out ${id}; echo err ${id} >&2`] }));
  await ok(ws, ['queue', 'push', 'q', '--stdin'], `${lines.join('\n')}\n`);
  await ok(ws, ['queue', 'wait-empty', 'q']);
}

async function history(ws: TestWorkspace): Promise<Finished[]> {
  const printed = JSON.parse(await ok(ws, ['queue', 'history', 'q', '--json', '--limit', '100'])) as Finished[] | { items: Finished[] };
  return Array.isArray(printed) ? printed : printed.items;
}

describe('queue output files', () => {
  it('removes the files of items trimmed from the history and gives later items files holding only their own output', async () => {
    const ws = workspaces.create('queues:\n  q: {history_limit: 3}\n');
    await runItems(ws, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
    const kept = await history(ws);
    assert.deepEqual(kept.map((item) => item.id).sort(), ['a4', 'a5', 'a6']);
    const logs = path.join(ws.dir, '.taskwarden', 'logs', 'queues');
    for (const id of ['a1', 'a2', 'a3']) {
      assert.equal(fs.existsSync(path.join(logs, `${id}.out`)), false, `${id}.out is gone`);
      assert.equal(fs.existsSync(path.join(logs, `${id}.err`)), false, `${id}.err is gone`);
    }
    await ok(ws, ['down']);
    await runItems(ws, ['b1', 'b2', 'b3', 'b4']);
    for (const item of await history(ws)) {
      assert.equal(item.state, 2, `${item.id} done`);
      assert.equal(fs.readFileSync(item.stdoutFile!, 'utf8'), `out ${item.id}\n`);
      assert.equal(fs.readFileSync(item.stderrFile!, 'utf8'), `err ${item.id}\n`);
    }
  });
});
