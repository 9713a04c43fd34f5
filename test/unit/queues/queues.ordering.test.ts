/**
 * The part's order and state rules on a real store, with no process started: a paused
 * queue keeps push order, moves (--first, --before) reorder it and survive a restart,
 * an unknown variable fails an item at once (state -1) and the queue goes on, an
 * item after a failed one fails with "dependency ID failed", no push or move can put an
 * item before one it runs --after, and the item times come from the part's injected clock.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { readQueuesConfig } from '../../../agent/queues/config/queuesConfig';
import type { AgentContext } from '../../../agent/core/part';
import { RpcFailure } from '../../../agent/core/rpc';
import { StatsRecorder } from '../../../agent/core/stats/statsRecorder';
import { createLogger } from '../../../agent/log';
import type { QueuesDelta } from '../../../agent/queues/protocol';
import * as controls from '../../../agent/queues/controls';
import { queuesMigration } from '../../../agent/queues/migrations';
import { QueuesPart } from '../../../agent/queues/queuesPart';
import { openDatabase, type Db } from '../../../agent/store/database';
import { statePaths } from '../../../agent/store/stateDirectory';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-queues-order-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The test's clock: every time the part sets itself reads it. */
let clock = 1_000_000;
const now = (): number => clock;

async function makePart(
  workspace: string,
  db: Db,
  deltas: QueuesDelta[] = [],
  queue: Record<string, unknown> = { env: { A: 'a' } },
  others: Record<string, unknown> = {},
): Promise<QueuesPart> {
  const context: AgentContext = {
    workspace,
    configFile: path.join(workspace, 'taskwarden.yaml'),
    rolesFile: undefined,
    paths: statePaths(workspace),
    db,
    log: createLogger(() => undefined),
    publish: (_topic, delta) => deltas.push(delta as QueuesDelta),
    subscribed: () => true,
    stats: new StatsRecorder(),
    healthChanged: () => undefined,
    reloadConfig: () => undefined,
    request: () => Promise.reject(new Error('no other part in this test')),
  };
  const part = new QueuesPart(context, now);
  await part.start();
  const section = readQueuesConfig({ queues: { q: queue, ...others } }, { workspace, environment: {}, host: '', readFile: () => null });
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
    const unknown = controls.history(part, { queue: 'nope' });
    assert.ok(unknown instanceof RpcFailure && /no queue 'nope' in the config \(the queues are: q;/.test(unknown.message));
    await part.stop({ keepProcesses: true });
    db.close();
  });

  it('retries an item with its --after dependencies: one that ended well holds nothing, one that failed or left the history refuses the retry', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const part = await makePart(workspace, db);
    controls.push(part, {
      queue: 'q',
      items: [
        { id: 'a', cmd: ['echo', '{MISSING}'] },
        { id: 'b', cmd: ['echo', '{A}'], cwd: 'sub', env: { B: 'b' }, after: ['a'] },
      ],
    });
    await new Promise((resolve) => setImmediate(resolve));
    const failedB = controls.show(part, 'b');
    assert.ok(!(failedB instanceof RpcFailure));
    assert.deepEqual([failedB.state, failedB.error], [-1, 'dependency a failed']);

    const refused = controls.retry(part, { id: 'b' });
    assert.ok(refused instanceof RpcFailure);
    assert.match(
      refused.message,
      /^dependency a failed \(Invalid command: unknown variable MISSING in \{MISSING\}\); nothing was pushed: retry 'a' first/,
    );
    assert.deepEqual(queuedIds(part), [], 'a refused retry pushes nothing');

    // 'a' ends well (its history row as a run that exited 0 leaves it): the retry of 'b' keeps --after a and is free to start.
    const a = part.store.lastOf('a')!;
    part.store.recordEnd({ ...a, state: 2, exit: 0, error: null });
    controls.setPaused(part, 'q', true);
    const retried = controls.retry(part, { id: 'b', newId: 'b2' });
    assert.deepEqual(retried, { id: 'b2' });
    const b2 = controls.show(part, 'b2');
    assert.ok(!(b2 instanceof RpcFailure));
    assert.deepEqual([b2.state, b2.cmd, b2.cwd, b2.env, b2.after], [0, ['echo', '{A}'], 'sub', { B: 'b' }, ['a']]);

    // A dependency removed before it ran: the item failed with "not found", and so does its retry; --after replaces it.
    controls.clear(part, 'q');
    controls.push(part, { queue: 'q', items: [{ id: 'gone', cmd: ['true'] }] });
    controls.push(part, { queue: 'q', items: [{ id: 'd', cmd: ['true'], after: ['gone'] }] });
    controls.remove(part, 'gone');
    controls.setPaused(part, 'q', false);
    await new Promise((resolve) => setImmediate(resolve));
    const gone = controls.retry(part, { id: 'd' });
    assert.ok(gone instanceof RpcFailure);
    assert.match(
      gone.message,
      /^dependency gone not found \(no longer in the history\); nothing was pushed: give 'taskwarden queue retry d --after ID'/,
    );
    const failedD = controls.show(part, 'd');
    assert.ok(!(failedD instanceof RpcFailure) && failedD.error === 'dependency gone not found');
    controls.setPaused(part, 'q', true);
    controls.push(part, { queue: 'q', items: [{ id: 'e', cmd: ['true'] }] });
    assert.deepEqual(controls.retry(part, { id: 'd', newId: 'd2', after: ['e'] }), { id: 'd2' });
    assert.deepEqual(queuedIds(part), ['e', 'd2']);
    controls.clear(part, 'q');
    await part.stop({ keepProcesses: true });
    db.close();
  });

  it('starts or fails an item that runs --after one of another queue when that one ends or is removed', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const part = await makePart(workspace, db, [], { env: { A: 'a' } }, { other: {} });
    const state = (id: string): [number, string | null] => {
      const item = controls.show(part, id);
      assert.ok(!(item instanceof RpcFailure));
      return [item.state, item.error];
    };
    controls.setPaused(part, 'q', true);
    controls.push(part, {
      queue: 'q',
      items: [
        { id: 'a', cmd: ['echo', '{MISSING}'] },
        { id: 'gone', cmd: ['true'] },
      ],
    });
    controls.push(part, { queue: 'other', items: [{ id: 'b', cmd: ['true'], after: ['gone'] }] });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(state('b'), [0, null], 'b waits for gone, queued in q');
    controls.remove(part, 'gone');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(state('b'), [-1, 'dependency gone not found'], 'the removal reached the other queue');

    controls.push(part, { queue: 'other', items: [{ id: 'c', cmd: ['true'], after: ['a'] }] });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(state('c'), [0, null]);
    controls.setPaused(part, 'q', false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(state('a')[0], -1);
    assert.deepEqual(state('c'), [-1, 'dependency a failed'], "a's end reached the other queue");
    await part.stop({ keepProcesses: true });
    db.close();
  });

  it('with settings.queues_auto, treats a queue not made yet as empty and lets it be paused before its first push', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const part = await makePart(workspace, db);
    assert.ok(controls.setPaused(part, 'fresh', true) instanceof RpcFailure, 'without queues_auto: an unknown queue');
    const auto = readQueuesConfig(
      { queues: { q: {} }, settings: { queues_auto: true } },
      { workspace, environment: {}, host: '', readFile: () => null },
    );
    await part.applyConfig({ section: auto.value, file: '', text: '', workspace, rolesFile: null, inputs: [] });
    assert.deepEqual(controls.clear(part, 'fresh'), { removed: 0 });
    assert.equal(await controls.waitEmpty(part, 'fresh'), undefined);
    const listed = controls.items(part, { queue: 'fresh' });
    assert.ok(!(listed instanceof RpcFailure) && listed.items.length === 0);
    const history = controls.history(part, { queue: 'fresh' });
    assert.ok(!(history instanceof RpcFailure) && history.items.length === 0);
    const paused = controls.setPaused(part, 'fresh', true);
    assert.ok(!(paused instanceof RpcFailure) && paused.paused && paused.auto);
    controls.push(part, { queue: 'fresh', items: [{ id: 'held', cmd: ['true'] }] });
    await new Promise((resolve) => setImmediate(resolve));
    const held = controls.show(part, 'held');
    assert.ok(!(held instanceof RpcFailure) && held.state === 0, 'pushed into the paused queue, not started');
    controls.clear(part, 'fresh');
    await part.stop({ keepProcesses: true });
    db.close();
  });

  it('ends a wait for the start or the end of a queued item that is removed or cleared, saying so', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const part = await makePart(workspace, db);
    controls.setPaused(part, 'q', true);
    controls.push(part, { queue: 'q', items: ['x', 'y', 'z'].map((id) => ({ id, cmd: ['true'] })) });
    const waits = [
      controls.wait(part, { id: 'x' }),
      controls.wait(part, { id: 'x', start: true }),
      controls.wait(part, { id: 'y' }),
      controls.wait(part, { id: 'z', start: true }),
    ];
    controls.remove(part, 'x');
    assert.deepEqual(await controls.kill(part, 'y'), { id: 'y', was: 'queued' });
    controls.clear(part, 'q');
    const answers = await Promise.all(waits);
    assert.deepEqual(
      answers.map((answer) => (answer instanceof RpcFailure ? answer.message : 'resolved with a record')),
      ['x', 'x', 'y', 'z'].map((id) => `item '${id}' was removed before it ran`),
    );
    await part.stop({ keepProcesses: true });
    db.close();
  });

  it('refuses a push or a move that puts an item before one it runs --after (the queue would wait for ever)', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const part = await makePart(workspace, db);
    controls.setPaused(part, 'q', true);
    const backwards = controls.push(part, {
      queue: 'q',
      items: [
        { id: 'b', cmd: ['true'], after: ['a'] },
        { id: 'a', cmd: ['true'] },
      ],
    });
    assert.ok(backwards instanceof RpcFailure);
    assert.match(backwards.message, /'b' runs after 'a' \(--after\), so it cannot be queued before it/);
    const itself = controls.push(part, { queue: 'q', items: [{ id: 'x', cmd: ['true'], after: ['x'] }] });
    assert.ok(itself instanceof RpcFailure && /'x' cannot run after itself/.test(itself.message));
    assert.deepEqual(queuedIds(part), [], 'a refused push pushes nothing');

    controls.push(part, { queue: 'q', items: ['a', 'c'].map((id) => ({ id, cmd: ['true'] })) });
    controls.push(part, { queue: 'q', items: [{ id: 'b', cmd: ['true'], after: ['a'] }] });
    assert.deepEqual(queuedIds(part), ['a', 'c', 'b']);
    const first = controls.move(part, { id: 'b', first: true });
    assert.ok(first instanceof RpcFailure && /'b' runs after 'a'.*nothing was moved/.test(first.message));
    const behind = controls.move(part, { id: 'a', before: 'nope' });
    assert.ok(behind instanceof RpcFailure);
    assert.deepEqual(queuedIds(part), ['a', 'c', 'b'], 'a refused move moves nothing');
    assert.equal(controls.move(part, { id: 'b', before: 'c' }), undefined, 'b may still move up to just behind a');
    assert.deepEqual(queuedIds(part), ['a', 'b', 'c']);
    assert.equal(controls.move(part, { id: 'c', first: true }), undefined);
    assert.deepEqual(queuedIds(part), ['c', 'a', 'b']);
    await part.stop({ keepProcesses: true });
    db.close();
  });

  it('stamps time-queue and the end of an item that never ran from the injected clock', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const deltas: QueuesDelta[] = [];
    clock = 5_000_000;
    const part = await makePart(workspace, db, deltas);
    controls.setPaused(part, 'q', true);
    controls.push(part, { queue: 'q', items: [{ id: 'late', cmd: ['echo', '{NOPE}'] }] });
    const queued = controls.show(part, 'late');
    assert.ok(!(queued instanceof RpcFailure));
    assert.deepEqual([queued.state, queued.timeQueue, queued.timeStart, queued.timeEnd], [0, 5_000_000, null, null]);
    const listed = controls.list(part);
    assert.equal(listed.now, 5_000_000);

    clock = 5_000_250;
    controls.setPaused(part, 'q', false);
    await new Promise((resolve) => setImmediate(resolve));
    const ended = controls.show(part, 'late');
    assert.ok(!(ended instanceof RpcFailure));
    assert.deepEqual(
      [ended.state, ended.timeQueue, ended.timeStart, ended.timeEnd, ended.error],
      [-1, 5_000_000, null, 5_000_250, 'Invalid command: unknown variable NOPE in {NOPE}'],
    );
    const states = deltas.flatMap((delta) => (delta.kind === 'items' ? delta.items.map((item) => item.state) : []));
    assert.deepEqual(states, [0], 'pushed as queued (0); it never became running');
    assert.deepEqual(
      deltas.filter((delta) => delta.kind === 'ended').map((delta) => (delta.kind === 'ended' ? delta.item.state : 0)),
      [-1],
    );
    await part.stop({ keepProcesses: true });
    db.close();
  });

  it('keeps the newest history_limit finished items of a queue, and deletes the output files of the others (rotated pieces and time index too)', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const db = openDatabase(path.join(workspace, 'store.db'), { migrations: [queuesMigration] });
    const part = await makePart(workspace, db, [], { history_limit: 3 });
    controls.push(part, { queue: 'q', items: ['h1', 'h2', 'h3', 'h4', 'h5'].map((id) => ({ id, cmd: ['echo', '{NOPE}'] })) });
    await new Promise((resolve) => setImmediate(resolve));
    const kept = (): string[] => {
      const page = controls.history(part, { queue: 'q', limit: 100 });
      assert.ok(!(page instanceof RpcFailure));
      return page.items.map((item) => item.id);
    };
    assert.deepEqual(kept(), ['h5', 'h4', 'h3'], 'the two oldest are trimmed as the newer ones end');
    assert.ok(controls.show(part, 'h1') instanceof RpcFailure);
    await part.stop({ keepProcesses: true });

    // Rows that ran have output files: trimming them (here by a lower limit at start) deletes those files.
    const files = ['h3', 'h4'].map((id) => {
      const out = path.join(workspace, `${id}.out`);
      // The output, its time index and a rotated piece: all go with a trimmed row.
      for (const file of [out, `${out}.times`, `${out}.1`]) fs.writeFileSync(file, 'output\n');
      return out;
    });
    const h3 = part.store.lastOf('h3');
    assert.ok(h3 !== null);
    part.store.recordEnd({ ...h3, id: 'h3', stdoutFile: files[0]!, stderrFile: null });
    part.store.recordEnd({ ...h3, id: 'h4', stdoutFile: files[1]!, stderrFile: null });
    const lower = await makePart(workspace, db, [], { history_limit: 1 });
    const page = controls.history(lower, { queue: 'q', limit: 100 });
    assert.ok(!(page instanceof RpcFailure));
    assert.deepEqual(
      page.items.map((item) => item.id),
      ['h4'],
    );
    await waitFor(() => [files[0]!, `${files[0]!}.times`, `${files[0]!}.1`].every((file) => !fs.existsSync(file)));
    assert.ok(fs.existsSync(files[1]!), 'the files of the kept row stay');
    await lower.stop({ keepProcesses: true });
    db.close();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
