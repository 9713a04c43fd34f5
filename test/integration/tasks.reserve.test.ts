/**
 * Reservations from the CLI: ids, `--unique` names, expiry after the
 * reservation lifetime, and release by kill.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { KillTaskRequest, LaunchTaskRequest, ReserveTaskRequest, type ReserveTaskResult } from '../../agent/tasks/protocol';
import { waitFor } from './support/waitFor';
import { fixture, liveTasks, task, taskJson, waitForHistory, watchTasks, Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

describe('task reservations', () => {
  it('prints a fresh id each time, as a bare number or as JSON', async () => {
    const ws = workspaces.create();
    const first = await task(ws, ['reserve']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^\d+\n$/);
    const second = await taskJson<ReserveTaskResult>(ws, ['reserve', '--name', 'build']);
    assert.equal(second.id, Number(first.stdout) + 1);
    assert.equal(second.name, 'build');
    assert.equal(second.unique, false);
    assert.ok(second.expiresAt > Date.now());
  });

  it('shows a reservation as RESERVED in the list until it expires after the reservation lifetime', async () => {
    const ws = workspaces.create('watcher:\n  reservation_ttl: 1.5\n');
    const { agent, deltas } = await watchTasks(ws);
    const reserved = await agent.connection.sendRequest(ReserveTaskRequest.type, { name: 'soon' });
    const listed = await liveTasks(agent);
    assert.deepEqual(
      listed.map((info) => [info.id, info.state, info.name]),
      [[reserved.id, 'RESERVED', 'soon']],
    );
    await waitFor(async () => (await liveTasks(agent)).length === 0, { what: 'the reservation to expire' });
    assert.ok(Date.now() >= reserved.expiresAt - 50, 'expired early');
    assert.ok(deltas.some((delta) => delta.kind === 'removed' && delta.id === reserved.id && delta.reason === 'expired'));

    const late = await task(ws, ['launch', '--taskid', String(reserved.id), '--', fixture('exit-with.sh'), '0']);
    assert.equal(late.code, 1);
    assert.match(late.stderr, new RegExp(`task id ${reserved.id} is not reserved`));
  });

  it('refuses a unique name that is reserved or running, and frees it when the task ends', async () => {
    const ws = workspaces.create();
    const id = Number((await task(ws, ['reserve', '--name', 'nightly', '--unique'])).stdout);
    const refused = await task(ws, ['reserve', '--name', 'nightly', '--unique']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`"nightly" is already reserved as task ${id}`));

    const { agent } = await watchTasks(ws);
    await agent.connection.sendRequest(LaunchTaskRequest.type, { taskId: id, argv: [fixture('sleep-forever.sh')], cwd: ws.dir });
    const whileRunning = await task(ws, ['reserve', '--name', 'nightly', '--unique']);
    assert.equal(whileRunning.code, 1);
    assert.match(whileRunning.stderr, /is already running \(pid \d+\) as task/);
    // Another name, or the same name without --unique, is not held back.
    assert.equal((await task(ws, ['reserve', '--name', 'other', '--unique'])).code, 0);
    assert.equal((await task(ws, ['reserve', '--name', 'nightly'])).code, 0);

    await agent.connection.sendRequest(KillTaskRequest.type, { id });
    await waitForHistory(agent, id);
    // The plain reservation of the same name still holds it, until killall releases it.
    assert.equal((await task(ws, ['reserve', '--name', 'nightly', '--unique'])).code, 1);
    const killall = await task(ws, ['killall', 'nightly']);
    assert.equal(killall.code, 0, killall.stderr);
    assert.match(killall.stdout, /^released reservation \d+\n$/);
    const again = await task(ws, ['reserve', '--name', 'nightly', '--unique']);
    assert.equal(again.code, 0, again.stderr);
  });

  it('reports counts on update, which also expires overdue reservations at once', async () => {
    const ws = workspaces.create();
    await task(ws, ['reserve']);
    const update = await task(ws, ['update']);
    assert.equal(update.code, 0, update.stderr);
    assert.equal(update.stdout, '0 running, 1 reserved, 0 reservations expired now\n');
    const status = await ws.cli(['status', '--json']);
    assert.equal((JSON.parse(status.stdout) as { counts: { tasks: Record<string, number> } }).counts.tasks['reserved'], 1);
  });

  it('rejects --unique without a name as a usage error', async () => {
    const ws = workspaces.create();
    const result = await task(ws, ['reserve', '--unique']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--unique needs --name/);
  });

  it('releases a reserved id on kill, after which it cannot be launched', async () => {
    const ws = workspaces.create();
    const id = Number((await task(ws, ['reserve'])).stdout);
    const killed = await task(ws, ['kill', String(id)]);
    assert.equal(killed.code, 0, killed.stderr);
    assert.equal(killed.stdout, `released reservation ${id}\n`);
    const list = await taskJson<{ tasks: unknown[] }>(ws, ['list']);
    assert.deepEqual(list.tasks, []);
    const unknown = await task(ws, ['kill', String(id)]);
    assert.equal(unknown.code, 1, `stdout: ${unknown.stdout} stderr: ${unknown.stderr}`);
    assert.match(unknown.stderr, new RegExp(`no task ${id} is reserved or running`));
  });
});
