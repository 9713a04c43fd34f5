/**
 * Tasks with a feedback file: progress and heartbeats pushed live, the final
 * feedback kept in the history and the file removed, and a task that goes
 * silent passing SILENT and STALLED before it is killed at its timeout, its
 * grandchild with it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { LaunchTaskRequest, ReserveTaskRequest, TaskFeedbackRequest, type TasksDelta } from '../../agent/tasks/protocol';
import { waitFor } from './support/waitFor';
import { alive, fixture, pidFrom, statesOf, task, waitForHistory, watchTasks, Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

function progressSeen(deltas: readonly TasksDelta[], id: number): string[] {
  const values: string[] = [];
  for (const delta of deltas) {
    const progress = delta.kind === 'upsert' && delta.task.id === id ? delta.task.feedback?.['progress'] : undefined;
    if (progress !== undefined && values.at(-1) !== progress) values.push(progress);
  }
  return values;
}

describe('tasks with a feedback file', () => {
  it('stay RUNNING while they write progress and heartbeats, push it live, and keep the final feedback in the history', async () => {
    const ws = workspaces.create();
    const { agent, deltas } = await watchTasks(ws);
    const { id } = await agent.connection.sendRequest(ReserveTaskRequest.type, { name: 'progress' });
    const release = path.join(ws.dir, 'release');
    const launched = await agent.connection.sendRequest(LaunchTaskRequest.type, {
      taskId: id,
      feedpath: ws.dir,
      // RUNNING needs a heartbeat every 1.5 s: ample room for a loaded machine.
      timeoutMs: 6000,
      // Ten steps, then heartbeats only (touches) until the test releases it.
      argv: [fixture('feedback-progress.sh'), '10', '0.2', release],
      cwd: ws.dir,
    });
    assert.equal(launched.feedbackFile, path.join(ws.dir, `feedback_${id}.log`));

    const live = await waitFor(
      async () => {
        const result = await agent.connection.sendRequest(TaskFeedbackRequest.type, { id });
        return result.source === 'running' && result.feedback?.['progress'] === '100' ? result : null;
      },
      { what: 'live progress' },
    );
    assert.equal(live.feedback?.['info'], 'starting');
    const cli = await task(ws, ['feedback', String(id), '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), { info: 'starting', progress: '100' });
    const listed = await task(ws, ['list']);
    assert.match(
      listed.stdout,
      new RegExp(`\\n${id}\\s+progress\\s+-\\s+-\\s+-\\s+${launched.pid}\\s+RUNNING\\s.*\\syes\\s+\\d+s\\s+6s\\n`),
    );

    fs.writeFileSync(release, '');
    const entry = await waitForHistory(agent, id);
    assert.equal(entry.outcome, 'exited');
    assert.equal(entry.error, null);
    assert.deepEqual(entry.feedback, { progress: '100', result: 'done' });
    assert.deepEqual(statesOf(deltas, id), ['RESERVED', 'RUNNING'], 'heartbeats kept it RUNNING');
    const seen = progressSeen(deltas, id);
    assert.ok(seen.length >= 3, `progress pushed live: ${seen.join(' ')}`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => Number(a) - Number(b)),
    );
    assert.ok(!fs.existsSync(launched.feedbackFile!), 'the feedback file is removed at the end');

    const finished = await task(ws, ['feedback', String(id)]);
    assert.match(finished.stdout, new RegExp(`^task ${id} \\(finished\\):\\nKEY\\s+VALUE\\nprogress\\s+100\\nresult\\s+done\\n$`));
  });

  it('go SILENT then STALLED when they stop writing, and are killed at the timeout with their grandchild', async () => {
    const ws = workspaces.create();
    const { agent, deltas } = await watchTasks(ws);
    const id = Number((await task(ws, ['reserve', '--name', 'quiet'])).stdout);
    const pidFile = path.join(ws.dir, 'grandchild.pid');
    const launched = await task(ws, [
      'launch',
      '--taskid',
      String(id),
      '--feedpath',
      ws.dir,
      '--timeout',
      '2.4',
      '--',
      fixture('fork-grandchild.sh'),
      pidFile,
    ]);
    assert.equal(launched.code, 0, launched.stderr);
    const taskPid = Number(/launched pid (\d+)/.exec(launched.stdout)?.[1]);
    const grandchild = await pidFrom(pidFile);
    assert.ok(alive(grandchild));

    const entry = await waitForHistory(agent, id, 20_000);
    assert.equal(entry.outcome, 'timeout');
    assert.equal(entry.error, 'timeout');
    assert.ok(entry.durationMs >= 2400, `killed after ${entry.durationMs} ms`);
    assert.deepEqual(statesOf(deltas, id), ['RESERVED', 'RUNNING', 'SILENT', 'STALLED']);
    // The grandchild ignores SIGTERM: the group's SIGKILL after the grace period ends it.
    assert.ok(!alive(taskPid), 'the task is gone');
    assert.ok(!alive(grandchild), 'its grandchild is gone too');

    const history = await task(ws, ['history']);
    assert.match(history.stdout, new RegExp(`\\n${id}\\s+quiet\\s+-\\s+-\\s+-\\s+SIGTERM\\s+timeout\\s`));
  });

  it('count a touch of the file as a heartbeat that resets the timer', async () => {
    const ws = workspaces.create();
    const { agent, deltas } = await watchTasks(ws);
    const { id } = await agent.connection.sendRequest(ReserveTaskRequest.type, {});
    const { feedbackFile } = await agent.connection.sendRequest(LaunchTaskRequest.type, {
      taskId: id,
      feedpath: ws.dir,
      // SILENT from 2 s to 4 s: a wide window for the test to touch the file in.
      timeoutMs: 8000,
      argv: [fixture('sleep-forever.sh')],
      cwd: ws.dir,
    });
    await waitFor(() => statesOf(deltas, id).includes('SILENT'), { what: 'the task to go SILENT' });
    fs.writeFileSync(feedbackFile!, '');
    await waitFor(() => statesOf(deltas, id).at(-1) === 'RUNNING', { what: 'the touch to make it RUNNING again' });
    await waitFor(() => statesOf(deltas, id).at(-1) === 'SILENT', { what: 'SILENT again' });
    const now = new Date();
    fs.utimesSync(feedbackFile!, now, now);
    await waitFor(() => statesOf(deltas, id).at(-1) === 'RUNNING', { what: 'a touch without new bytes to count too' });
    assert.deepEqual(statesOf(deltas, id), ['RESERVED', 'RUNNING', 'SILENT', 'RUNNING', 'SILENT', 'RUNNING']);
    const killed = await task(ws, ['kill', String(id)]);
    assert.equal(killed.code, 0, killed.stderr);
  });
});
