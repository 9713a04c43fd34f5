/**
 * Chained starts (agent/queues/queuesPart.ts, spawner.c's `C` request): while an item runs, the
 * queue's next item is handed to the spawn helper to start the moment the running one is reaped.
 * A chain that is cancelled (remove, pause, a move before it) never starts out of turn; a chain
 * whose helper dies still runs once; an item the helper started just before its agent was
 * SIGKILLed is adopted by its mark, not run twice.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { processIsAlive } from '../../agent/proc/processIdentity';
import { queueCli, queueOk as ok } from './queues.helpers';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';
import { Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

/** An item's live row in the store: claimed as a chained start while it waits in the helper. */
function storedRow(ws: TestWorkspace, id: string): { state: number; run: string | null } | undefined {
  const db = new Database(path.join(ws.dir, '.taskwarden', 'state.db'), { readonly: true });
  try {
    return db.prepare('SELECT state, run FROM queue_items WHERE id = ?').get(id) as { state: number; run: string | null } | undefined;
  } finally {
    db.close();
  }
}

function chainedAfter(ws: TestWorkspace, id: string): string | null {
  const run = storedRow(ws, id)?.run ?? null;
  return run === null ? null : ((JSON.parse(run) as { chainedAfter?: string }).chainedAfter ?? null);
}

/** Pushes `a` (runs until `gate` exists) and `b` (appends to `runs`), and waits until b is chained to a. */
async function chainBehindGate(ws: TestWorkspace, second: string): Promise<{ runs: string; gate: string }> {
  const runs = path.join(ws.dir, 'runs');
  const gate = path.join(ws.dir, 'gate');
  await ok(ws, ['queue', 'push', 'q', '--id', 'a', '--', 'sh', '-c', `while [ ! -f ${gate} ]; do sleep 0.02; done`]);
  await ok(ws, ['queue', 'wait', 'a', '--start']);
  await ok(ws, ['queue', 'push', 'q', '--id', 'b', '--', 'sh', '-c', second.replaceAll('RUNS', runs)]);
  await waitFor(() => chainedAfter(ws, 'b') === 'a', { what: 'b to be chained to a' });
  return { runs, gate };
}

describe('queue chained starts', () => {
  it('hands the next item to the helper while one runs; removed, it never starts', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    const { runs, gate } = await chainBehindGate(ws, 'echo b >> RUNS');
    const [listed] = (JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as { id: string; state: number }[]).filter(
      (row) => row.id === 'b',
    );
    assert.equal(listed?.state, 0, 'a chained item is listed as queued');
    assert.match(await ok(ws, ['queue', 'remove', 'b']), /b/);
    assert.equal(storedRow(ws, 'b'), undefined, 'its row is gone');
    await ok(ws, ['queue', 'push', 'q', '--id', 'c', '--', 'sh', '-c', `echo c >> ${runs}`]);
    fs.writeFileSync(gate, '');
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.equal(fs.readFileSync(runs, 'utf8'), 'c\n', 'the removed item never ran; the next one did');
    const removed = await queueCli(ws, ['queue', 'show', 'b']);
    assert.notEqual(removed.code, 0, 'a removed item has no record');
  });

  it('takes a chained item back on pause and on a move before it: nothing starts while paused, and the moved item runs first', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    const { runs, gate } = await chainBehindGate(ws, 'echo b >> RUNS');
    await ok(ws, ['queue', 'pause', 'q']);
    assert.equal(storedRow(ws, 'b')?.state, 0, 'queued again in the store');
    await ok(ws, ['queue', 'push', 'q', '--id', 'c', '--', 'sh', '-c', `echo c >> ${runs}`]);
    fs.writeFileSync(gate, '');
    await ok(ws, ['queue', 'wait', 'a']);
    const rows = JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as { id: string; state: number }[];
    assert.deepEqual(
      rows.map((row) => [row.id, row.state]),
      [
        ['b', 0],
        ['c', 0],
      ],
      'nothing started while paused',
    );
    assert.ok(!fs.existsSync(runs));
    // Chained again behind a new running item, then c moves to the front: c runs before b.
    fs.rmSync(gate);
    await ok(ws, ['queue', 'push', 'q', '--id', 'd', '--', 'sh', '-c', `while [ ! -f ${gate} ]; do sleep 0.02; done`]);
    await ok(ws, ['queue', 'move', 'd', '--first']);
    await ok(ws, ['queue', 'resume', 'q']);
    await ok(ws, ['queue', 'wait', 'd', '--start']);
    await waitFor(() => chainedAfter(ws, 'b') === 'd', { what: 'b to be chained to d' });
    await ok(ws, ['queue', 'move', 'c', '--first']);
    fs.writeFileSync(gate, '');
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.equal(fs.readFileSync(runs, 'utf8'), 'c\nb\n', 'strict order after the move');
  });

  it('runs a chained item once when the spawn helper dies before its predecessor ends', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    const { runs, gate } = await chainBehindGate(ws, 'echo b >> RUNS');
    const [running] = JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as { id: string; pid: number }[];
    assert.equal(running?.id, 'a');
    // The helper is the parent of what it started.
    const helper = Number(fs.readFileSync(`/proc/${running.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    assert.match(fs.readFileSync(`/proc/${helper}/cmdline`, 'utf8'), /taskwarden-spawner/);
    process.kill(helper, 'SIGKILL');
    await waitFor(() => !processIsAlive(helper), { what: 'the helper to die' });
    await waitFor(() => chainedAfter(ws, 'b') === null, { what: 'b to be queued again' });
    fs.writeFileSync(gate, '');
    const ended = await queueCli(ws, ['queue', 'wait', 'b']);
    assert.equal(ended.code, 0, ended.stderr);
    assert.equal(fs.readFileSync(runs, 'utf8'), 'b\n', 'it ran once');
  });

  it('adopts an item the helper started from a chain just before the agent was SIGKILLed, and runs the next once', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    await ok(ws, ['queue', 'list', 'q']);
    const agent = await ws.agentPid();
    assert.ok(agent !== null);
    const gate2 = path.join(ws.dir, 'gate2');
    // Its first instruction kills the agent: before the agent has read that it started.
    const { runs, gate } = await chainBehindGate(
      ws,
      `kill -9 ${agent}; echo b >> RUNS; while [ ! -f ${gate2} ]; do sleep 0.02; done; echo b-after-gate`,
    );
    await ok(ws, ['queue', 'push', 'q', '--id', 'c', '--', 'sh', '-c', `echo c >> ${runs}`]);
    fs.writeFileSync(gate, '');
    await waitFor(() => !processIsAlive(agent), { what: 'the chained item to kill its agent' });
    const rows = JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as { id: string; state: number; pid: number | null }[];
    const b = rows.find((row) => row.id === 'b');
    assert.equal(b?.state, 1, 'adopted as running, not ended with an unknown end');
    assert.ok(b.pid !== null && processIsAlive(b.pid), 'its pid is the live process');
    assert.equal(rows.find((row) => row.id === 'c')?.state, 0, 'the next item is queued');
    fs.writeFileSync(gate2, '');
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.equal(fs.readFileSync(runs, 'utf8'), 'b\nc\n', 'each ran once, in order');
    // An adopted process is no child of this agent: its end is seen, its exit status is not.
    const record = JSON.parse(await ok(ws, ['queue', 'show', 'b', '--json'])) as { state: number; exit: number | null };
    assert.deepEqual([record.state, record.exit], [-1, null]);
    assert.match(await ok(ws, ['logs', 'queue:b', '-n', '1']), /b-after-gate/);
  });
});
