/**
 * `taskwarden down` after the agent crashed: it finds the workspace's
 * processes from the store and from the workspace marker, stops each whole
 * process group, says what it stopped, starts no agent, leaves rows that tell
 * the next agent nothing runs, and exits 0 only when nothing is left.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { connectToAgent } from '../../agent/cli/agentClient';
import { processIsAlive, readProcStat } from '../../agent/proc/processIdentity';
import type { TaskHistoryResult } from '../../agent/tasks/protocol';
import { acquireAgentLock } from '../../agent/server/agentLock';
import { openDatabase } from '../../agent/store/database';
import { cleanupWorkspace, FIXTURES, listDaemons, markedPids, startedWorkspace, waitForInstance } from './support/daemons';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
const strays: number[] = [];
afterEach(async () => {
  for (const pid of strays.splice(0)) if (!ended(pid)) process.kill(pid, 'SIGKILL');
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

const sleepForever = path.join(FIXTURES, 'sleep-forever.sh');

/** Gone, or a zombie waiting for init to reap it (its parent, the agent's spawn helper, is gone). */
function ended(pid: number): boolean {
  return !processIsAlive(pid) || readProcStat(pid)?.state === 'Z';
}
const CONFIG = `tasks:
  web: {commands: {start: [${sleepForever}]}, count: 2}
  db: {commands: {start: [${sleepForever}]}}
  stubborn: {commands: {start: [${path.join(FIXTURES, 'fork-grandchild.sh')}, grandchild.pid]}, stop_timeout: 1}
queues:
  slow: {}
`;

/**
 * A process carrying the workspace's task marker, as a task launched just
 * before the agent died (its row never written) would: its own group, no row.
 * `detached: false` leaves it in the test's own group instead.
 */
function markedTask(ws: TestWorkspace, id: number, detached = true): number {
  const child = spawn(sleepForever, [], {
    cwd: ws.dir,
    detached,
    stdio: 'ignore',
    env: { ...process.env, TASKWARDEN_WORKSPACE: ws.dir, TASKWARDEN_RUN: `tasks:${id}` },
  });
  child.unref();
  strays.push(child.pid!);
  return child.pid!;
}

/** A workspace whose daemons and one launched task run, its agent SIGKILLed; returns the pids that ran. */
async function crashedWorkspace(): Promise<{ ws: TestWorkspace; pids: number[] }> {
  const { ws, agent } = await startedWorkspace(CONFIG);
  used.push(ws);
  for (const id of ['web:0', 'web:1', 'db:0', 'stubborn:0'])
    await waitForInstance(agent, id, (instance) => instance.state === 'running', 'to run');
  await waitFor(() => fs.existsSync(path.join(ws.dir, 'grandchild.pid')), { what: 'the grandchild to start' });
  const launched = await ws.cli(['task', 'launch', '--name', 'nap', '--', sleepForever]);
  assert.equal(launched.code, 0, launched.stderr);
  const pushed = await ws.cli(['queue', 'push', 'slow', '--id', 'nap-item', '--', sleepForever]);
  assert.equal(pushed.code, 0, pushed.stderr);
  await waitFor(async () => JSON.parse((await ws.cli(['queue', 'show', 'nap-item', '--json'])).stdout).state === 1, {
    what: 'the queue item to run',
  });
  const pids = markedPids(ws.dir);
  const agentPid = agent.handshake.pid;
  agent.close();
  process.kill(agentPid, 'SIGKILL');
  await waitFor(() => !processIsAlive(agentPid), { what: 'the agent to die' });
  return { ws, pids };
}

describe('down after the agent crashed', () => {
  it('stops every daemon and task it left (whole groups, also one the store never heard of), says so and exits 0', async () => {
    const { ws, pids } = await crashedWorkspace();
    const unrecorded = markedTask(ws, 99);
    const grandchild = Number(fs.readFileSync(path.join(ws.dir, 'grandchild.pid'), 'utf8'));

    const down = await ws.cli(['down']);

    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /^no agent runs for /);
    for (const name of [
      'daemon web:0',
      'daemon web:1',
      'daemon db:0',
      'daemon stubborn:0',
      'task 1 \\(nap\\)',
      'task 99',
      'queue item nap-item',
    ])
      assert.match(down.stdout, new RegExp(`^  ${name} \\(pid \\d+\\)`, 'm'));
    assert.deepEqual(markedPids(ws.dir), []);
    for (const pid of [...pids, unrecorded, grandchild]) assert.ok(ended(pid), `pid ${pid} is gone`);
    assert.equal((await connectToAgent(ws.dir)).ok, false, 'down started no agent');
  });

  it('finds a launched task by its workspace marker when the agent died before writing its row', async () => {
    const { ws } = await crashedWorkspace();
    const db = openDatabase(path.join(ws.dir, '.taskwarden', 'state.db'));
    const pid = (db.prepare('SELECT pid FROM tasks WHERE id = 1').get() as { pid: number }).pid;
    db.prepare('DELETE FROM tasks').run();
    db.close();

    const down = await ws.cli(['down']);

    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`^  task 1 \\(pid ${pid}\\)$`, 'm'));
    assert.ok(ended(pid));
  });

  it('leaves rows from which the next agent starts afresh and records the task as killed', async () => {
    const { ws, pids } = await crashedWorkspace();
    assert.equal((await ws.cli(['down'])).code, 0);

    const up = await ws.cli(['up']);
    assert.equal(up.code, 0, up.stderr);
    const agent = await ws.connect();
    const web = await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run again');
    assert.equal(web.adopted, false);
    assert.ok(!pids.includes(web.pid!), 'a new process');
    const history = JSON.parse((await ws.cli(['task', 'history', '--json'])).stdout) as TaskHistoryResult;
    assert.deepEqual(
      history.entries.map((entry) => [entry.id, entry.name, entry.outcome, entry.error]),
      [[1, 'nap', 'killed', 'killed by taskwarden down (no agent was running)']],
    );
    assert.equal((await listDaemons(agent)).tasks.flatMap((task) => task.instances).length, 4);
  });

  it('also stops what a running agent does not supervise, after stopping the agent', async () => {
    const { ws, agent } = await startedWorkspace(`tasks:\n  web: {commands: {start: [${sleepForever}]}}\n`);
    used.push(ws);
    await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run');
    const orphan = markedTask(ws, 42);

    const down = await ws.cli(['down', '--json']);

    assert.equal(down.code, 0, down.stderr);
    const report = JSON.parse(down.stdout) as { agents: number[]; stopped: { kind: string; name: string; pid: number }[]; left: unknown[] };
    assert.deepEqual(report.agents, [agent.handshake.pid]);
    assert.deepEqual(
      report.stopped.map((entry) => [entry.kind, entry.name, entry.pid]),
      [['task', '42', orphan]],
    );
    assert.deepEqual(report.left, []);
    assert.ok(ended(orphan));
  });

  it('exits 1 naming what it could not stop as a group', async () => {
    const { ws, agent } = await startedWorkspace('tasks: {}\n');
    used.push(ws);
    agent.close();
    // In the test's own process group, led by a process without the marker: not ours to signal as a group.
    const inForeignGroup = markedTask(ws, 7, false);

    const down = await ws.cli(['down']);

    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`still running in ${ws.dir}: task 7 \\(pid ${inForeignGroup}\\)`));
  });

  it('stops nothing while an agent holds the workspace lock without answering', async () => {
    const { ws, pids } = await crashedWorkspace();
    // Stands for an agent that took the lock and hangs (or has not opened its socket yet).
    const lock = acquireAgentLock(path.join(ws.dir, '.taskwarden', 'agent.lock'));
    assert.ok(lock.ok);
    try {
      const down = await ws.cli(['down']);
      assert.equal(down.code, 1);
      assert.match(
        down.stderr,
        /another agent already runs for this workspace .*, but it does not answer on its socket; nothing was stopped/,
      );
      for (const pid of pids) assert.ok(processIsAlive(pid), `pid ${pid} still runs`);
    } finally {
      lock.value();
    }
  });
});
