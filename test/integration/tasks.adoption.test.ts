/**
 * Tasks outlive their agent: after an agent SIGKILL (or `down --keep`) the next
 * agent re-adopts a running task by pid + start time and resumes its feedback
 * where it was, and a task that ended while no agent ran goes to the history
 * with what is known. Each end is recorded once.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { AgentConnection } from '../../agent/cli/agentClient';
import { processIsAlive } from '../../agent/proc/processIdentity';
import {
  LaunchTaskRequest,
  ReserveTaskRequest,
  TaskFeedbackRequest,
  type LaunchTaskResult,
  type ListTasksResult,
  type TaskHistoryResult,
} from '../../agent/tasks/protocol';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';
import { alive, fixture, task, taskJson, waitForHistory, watchTasks, Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

/** Launches the ticker (a `[tick]N` line every 0.1 s until `stopFile` exists) with a feedback file. */
async function launchTicker(ws: TestWorkspace, agent: AgentConnection, stopFile: string): Promise<LaunchTaskResult> {
  const { id } = await agent.connection.sendRequest(ReserveTaskRequest.type, { name: 'ticker', unique: true });
  return agent.connection.sendRequest(LaunchTaskRequest.type, {
    taskId: id,
    feedpath: ws.dir,
    timeoutMs: 30_000,
    info1: 'survivor',
    argv: [fixture('feedback-ticker.sh'), '0.1', stopFile],
    cwd: ws.dir,
  });
}

async function tickOf(agent: AgentConnection, id: number): Promise<number> {
  const result = await agent.connection.sendRequest(TaskFeedbackRequest.type, { id });
  return Number(result.feedback?.['tick'] ?? 0);
}

async function killAgent(agent: AgentConnection): Promise<void> {
  const pid = agent.handshake.pid;
  agent.close();
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !processIsAlive(pid), { what: `agent ${pid} to die` });
}

describe('tasks across agent restarts', () => {
  it('re-adopts a running task after an agent SIGKILL: same pid, feedback continues, history written once', async () => {
    const ws = workspaces.create();
    const stopFile = path.join(ws.dir, 'stop');
    const first = await watchTasks(ws);
    const launched = await launchTicker(ws, first.agent, stopFile);
    await waitFor(async () => (await tickOf(first.agent, launched.id)) >= 3, { what: 'a few ticks' });
    const oldAgent = first.agent.handshake.pid;
    await killAgent(first.agent);
    assert.ok(alive(launched.pid), 'the task outlives its agent');

    // Any command starts a new agent, which adopts the task.
    const list = await taskJson<ListTasksResult>(ws, ['list']);
    assert.deepEqual(
      list.tasks.map((info) => [info.id, info.pid, info.state, info.name, info.info1, info.feedbackFile !== null]),
      [[launched.id, launched.pid, 'RUNNING', 'ticker', 'survivor', true]],
    );
    const second = await watchTasks(ws);
    assert.notEqual(second.agent.handshake.pid, oldAgent);
    const ticksAtAdoption = await tickOf(second.agent, launched.id);
    assert.ok(ticksAtAdoption >= 3, `feedback resumed with what was written (${ticksAtAdoption})`);
    await waitFor(async () => (await tickOf(second.agent, launched.id)) >= ticksAtAdoption + 3, {
      what: 'feedback to continue after adoption',
    });
    // The unique name is still held by the adopted task.
    assert.equal((await task(ws, ['reserve', '--name', 'ticker', '--unique'])).code, 1);

    fs.writeFileSync(stopFile, '');
    const entry = await waitForHistory(second.agent, launched.id);
    assert.equal(entry.pid, launched.pid);
    assert.equal(entry.outcome, 'unknown');
    assert.match(entry.error ?? '', /exit status unknown: the task was adopted after an agent restart/);
    assert.equal(entry.feedback?.['done'], 'yes');
    assert.ok(Number(entry.feedback?.['tick']) > ticksAtAdoption);
    const history = await taskJson<TaskHistoryResult>(ws, ['history']);
    assert.deepEqual(
      history.entries.map((row) => row.id),
      [launched.id],
      'recorded once',
    );
    assert.ok(!fs.existsSync(launched.feedbackFile!), 'the feedback file is removed');
  });

  it('moves a task that ended while the agent was down to the history with its final feedback and an unknown exit', async () => {
    const ws = workspaces.create();
    const stopFile = path.join(ws.dir, 'stop');
    const first = await watchTasks(ws);
    const launched = await launchTicker(ws, first.agent, stopFile);
    await waitFor(async () => (await tickOf(first.agent, launched.id)) >= 2, { what: 'a few ticks' });
    await killAgent(first.agent);
    fs.writeFileSync(stopFile, '');
    await waitFor(() => !alive(launched.pid), { what: 'the task to end while no agent runs' });

    const history = await taskJson<TaskHistoryResult>(ws, ['history']);
    assert.equal(history.total, 1);
    const entry = history.entries[0]!;
    assert.equal(entry.id, launched.id);
    assert.equal(entry.outcome, 'unknown');
    assert.equal(entry.exitCode, null);
    assert.match(entry.error ?? '', /exit status unknown: the process ended while the agent was down/);
    assert.equal(entry.feedback?.['done'], 'yes');
    assert.ok(entry.end >= entry.start && entry.end <= Date.now());
    assert.deepEqual((await taskJson<ListTasksResult>(ws, ['list'])).tasks, []);
    assert.ok(!fs.existsSync(launched.feedbackFile!));
  });

  it('leaves tasks running on down --keep and lets the next agent adopt and kill them', async () => {
    const ws = workspaces.create();
    const stopFile = path.join(ws.dir, 'stop');
    const first = await watchTasks(ws);
    const launched = await launchTicker(ws, first.agent, stopFile);
    await waitFor(async () => (await tickOf(first.agent, launched.id)) >= 2, { what: 'a few ticks' });
    first.agent.close();
    const down = await ws.cli(['down', '--keep']);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(alive(launched.pid));

    const second = await watchTasks(ws);
    await waitFor(async () => (await tickOf(second.agent, launched.id)) >= 4, { what: 'feedback after adoption' });
    const killed = await task(ws, ['kill', String(launched.id)]);
    assert.equal(killed.code, 0, killed.stderr);
    const entry = await waitForHistory(second.agent, launched.id);
    assert.deepEqual([entry.outcome, entry.error], ['killed', 'killed']);
    assert.ok(!alive(launched.pid));
  });
});
