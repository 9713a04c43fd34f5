/**
 * The part's order and state rules on a real store, with no process started: a paused
 * queue keeps push order, moves (--first, --before) reorder it and survive a restart,
 * an unknown variable fails an item at once (state -1) and the queue goes on, and an
 * item after a failed one fails with "dependency ID failed".
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { readQueuesConfig } from '../../../agent/queues/config/queuesConfig';
import type { AgentContext } from '../../../agent/core/part';
import { RpcFailure } from '../../../agent/core/rpc';
import { createLogger } from '../../../agent/log';
import type { QueuesDelta } from '../../../agent/protocol/queues';
import * as controls from '../../../agent/queues/controls';
import { queuesMigration } from '../../../agent/queues/migrations';
import { QueuesPart } from '../../../agent/queues/queuesPart';
import { openDatabase, type Db } from '../../../agent/store/database';
import { statePaths } from '../../../agent/store/stateDirectory';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-queues-order-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function makePart(workspace: string, db: Db, deltas: QueuesDelta[] = []): Promise<QueuesPart> {
  const context: AgentContext = {
    workspace,
    configFile: path.join(workspace, 'taskwarden.yaml'),
    rolesFile: undefined,
    paths: statePaths(workspace),
    db,
    log: createLogger(() => undefined),
    publish: (_topic, delta) => deltas.push(delta as QueuesDelta),
    healthChanged: () => undefined,
    reloadConfig: () => undefined,
    request: () => Promise.reject(new Error('no other part in this test')),
  };
  const part = new QueuesPart(context);
  await part.start();
  const section = readQueuesConfig({ queues: { q: { env: { A: 'a' } } } }, { workspace, environment: {}, host: '', readFile: () => null });
  assert.deepEqual(section.diagnostics, []);
  await part.applyConfig({
    section: section.value,
    file: context.configFile,
    text: '',
    workspace,
    rolesFile: null,
    inputs: [],
  });
  return part;
}

function queuedIds(part: QueuesPart): string[] {
  const result = controls.items(part, { queue: 'q' });
  assert.ok(!(result instanceof RpcFailure));
  return result.items.map((item) => item.id);
}

describe('queue order and item states', () => {
  it('keeps push order, applies --first and --before, and keeps the order across a restart', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const part = await makePart(workspace, db);
    controls.setPaused(part, 'q', true);
    const pushed = controls.push(part, { queue: 'q', items: ['a', 'b', 'c', 'd'].map((id) => ({ id, cmd: ['true'] })) });
    assert.deepEqual(pushed, { ids: ['a', 'b', 'c', 'd'] });
    assert.deepEqual(queuedIds(part), ['a', 'b', 'c', 'd']);
    assert.equal(controls.move(part, { id: 'd', first: true }), undefined);
    assert.deepEqual(queuedIds(part), ['d', 'a', 'b', 'c']);
    controls.move(part, { id: 'c', before: 'a' });
    assert.deepEqual(queuedIds(part), ['d', 'c', 'a', 'b']);
    assert.ok(controls.move(part, { id: 'c', before: 'nope' }) instanceof RpcFailure);
    const duplicate = controls.push(part, {
      queue: 'q',
      items: [
        { id: 'e', cmd: ['true'] },
        { id: 'a', cmd: ['true'] },
      ],
    });
    assert.ok(duplicate instanceof RpcFailure && /item 2: an item 'a' is already queued or running/.test(duplicate.message));
    assert.deepEqual(queuedIds(part), ['d', 'c', 'a', 'b'], 'a refused batch pushes nothing');
    await part.stop({ keepProcesses: true });

    const again = await makePart(workspace, db);
    assert.deepEqual(queuedIds(again), ['d', 'c', 'a', 'b']);
    assert.equal(again.queues.get('q')?.paused, true);
    assert.deepEqual(controls.clear(again, 'q'), { removed: 4 });
    await again.stop({ keepProcesses: true });
    db.close();
  });

  it('fails an item with an unknown variable at once and one after it with "dependency ID failed"', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const deltas: QueuesDelta[] = [];
    const part = await makePart(workspace, db, deltas);
    controls.push(part, {
      queue: 'q',
      items: [
        { id: 'bad', cmd: ['echo', '{A}{MISSING}'] },
        { id: 'dep', cmd: ['echo', '{A}'], after: ['bad'] },
      ],
    });
    await new Promise((resolve) => setImmediate(resolve));
    const bad = controls.show(part, 'bad');
    const dep = controls.show(part, 'dep');
    assert.ok(!(bad instanceof RpcFailure) && !(dep instanceof RpcFailure));
    assert.deepEqual([bad.state, bad.error, bad.pid], [-1, 'Invalid command: unknown variable MISSING in {A}{MISSING}', null]);
    assert.deepEqual([dep.state, dep.error], [-1, 'dependency bad failed']);
    assert.deepEqual(
      deltas.filter((delta) => delta.kind === 'ended').map((delta) => (delta.kind === 'ended' ? delta.item.id : '')),
      ['bad', 'dep'],
    );
    const page = controls.history(part, { queue: 'q', limit: 1 });
    assert.ok(!(page instanceof RpcFailure));
    assert.deepEqual(
      page.items.map((item) => item.id),
      ['dep'],
    );
    const next = controls.history(part, { queue: 'q', limit: 1, before: page.nextCursor! });
    assert.ok(!(next instanceof RpcFailure));
    assert.deepEqual([next.items.map((item) => item.id), next.nextCursor], [['bad'], null]);
    await part.stop({ keepProcesses: true });
    db.close();
  });
});
