/**
 * A queue item whose agent dies right after its start, before the item's start row is written
 * (agent/queues/queueStore.ts keeps it up to START_ROW_DELAY_MS for the next transaction): the
 * next agent finds the process by its mark, adopts it and records its real end; it never runs twice.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { processIsAlive } from '../../agent/proc/processIdentity';
import { queueCli, queueOk as ok } from './queues.helpers';
import { waitFor } from './support/waitFor';
import { Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

describe('queue adoption', () => {
  it('adopts by its mark an item whose agent died before its start row was written, and records its real end', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    const runs = path.join(ws.dir, 'runs');
    const gate = path.join(ws.dir, 'gate');
    await ok(ws, ['queue', 'pause', 'q']);
    const agent = await ws.agentPid();
    assert.ok(agent !== null);
    // Its first instruction kills the agent: well within the start row's delay.
    const script = `kill -9 ${agent}; echo run >> ${runs}; while [ ! -f ${gate} ]; do sleep 0.05; done; echo after-gate; exit 3`;
    await ok(ws, ['queue', 'push', 'q', '--id', 'k', '--', 'sh', '-c', script]);
    await ok(ws, ['queue', 'resume', 'q']);
    await waitFor(() => !processIsAlive(agent), { what: 'the item to kill its agent' });
    const [row] = JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as { id: string; state: number; pid: number | null }[];
    assert.equal(row?.id, 'k');
    assert.equal(row.state, 1, 'adopted as running, not ended with an unknown end');
    assert.ok(row.pid !== null && processIsAlive(row.pid), 'its pid is the live process');
    fs.writeFileSync(gate, '');
    const ended = await queueCli(ws, ['queue', 'wait', 'k']);
    assert.equal(ended.code, 1, ended.stderr);
    const record = JSON.parse(await ok(ws, ['queue', 'show', 'k', '--json'])) as { state: number; error: string | null };
    assert.equal(record.state, -1);
    assert.equal(fs.readFileSync(runs, 'utf8'), 'run\n', 'it ran once');
    assert.match(await ok(ws, ['logs', 'queue:k', '-n', '1']), /after-gate/);
  });
});
