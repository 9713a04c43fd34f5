/**
 * The extension's copy of the agent's tasks: a first load, then pushed deltas; replayed deltas
 * change nothing; paging; and the sync that loads on connect, holds deltas during the load and
 * empties the model when the connection goes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConnectionState } from '../../../extension/shared/agentApi';
import {
  ListTasksRequest,
  TaskHistoryRequest,
  type ListTasksResult,
  type TaskHistoryEntry,
  type TaskHistoryParams,
  type TaskHistoryResult,
  type TaskInfo,
  type TasksDelta,
} from '../../../agent/tasks/protocol';
import { TasksModel, type TasksChange } from '../../../extension/tasks/tasksModel';
import { TasksSync } from '../../../extension/tasks/tasksSync';

function task(id: number, fields: Partial<TaskInfo> = {}): TaskInfo {
  return {
    id,
    state: 'RUNNING',
    name: `task-${id}`,
    unique: false,
    info1: null,
    info2: null,
    info3: null,
    reservedAt: 1000,
    expiresAt: null,
    argv: ['/bin/true'],
    pid: 100 + id,
    startedAt: 1000,
    timeoutMs: null,
    feedbackFile: null,
    lastUpdateAt: null,
    feedback: null,
    deadlineAt: null,
    stdoutFile: null,
    stderrFile: null,
    ...fields,
  };
}

function entry(id: number, fields: Partial<TaskHistoryEntry> = {}): TaskHistoryEntry {
  return {
    id,
    name: `task-${id}`,
    info1: null,
    info2: null,
    info3: null,
    argv: ['/bin/true'],
    pid: 100 + id,
    outcome: 'exited',
    exitCode: 0,
    signal: null,
    error: null,
    start: 1000,
    end: 2000,
    durationMs: 1000,
    feedback: null,
    stdoutFile: null,
    stderrFile: null,
    ...fields,
  };
}

function loaded(tasks: TaskInfo[], entries: TaskHistoryEntry[], total = entries.length): TasksModel {
  const model = new TasksModel();
  model.load({ now: 5000, tasks }, { total, entries }, 5000);
  return model;
}

describe('TasksModel', () => {
  test('loads the live tasks by id and the history in the agent order', () => {
    const model = loaded([task(3), task(1)], [entry(2), entry(0)], 5);
    assert.deepEqual(
      model.tasks.map((t) => t.id),
      [1, 3],
    );
    assert.deepEqual(
      model.history.map((e) => e.id),
      [2, 0],
    );
    assert.equal(model.historyTotal, 5);
    assert.equal(model.hasMoreHistory, true);
  });

  test('replaces a task on upsert and tells whether a row appeared', () => {
    const model = loaded([task(1)], []);
    const changes: TasksChange[] = [];
    model.onChange((change) => changes.push(change));
    model.apply({ kind: 'upsert', task: task(1, { feedback: { progress: '40' } }) });
    model.apply({ kind: 'upsert', task: task(2) });
    assert.equal(model.task(1)?.feedback?.['progress'], '40');
    assert.deepEqual(changes, [
      { ids: [1], structural: false },
      { ids: [2], structural: true },
    ]);
  });

  test('moves an ended task to the head of the history once, however often the delta comes', () => {
    const model = loaded([task(1), task(2)], [entry(0)]);
    const ended: TasksDelta = { kind: 'ended', id: 1, entry: entry(1, { feedback: { progress: '100' } }) };
    model.apply(ended);
    model.apply(ended);
    assert.deepEqual(
      model.tasks.map((t) => t.id),
      [2],
    );
    assert.deepEqual(
      model.history.map((e) => e.id),
      [1, 0],
    );
    assert.equal(model.historyTotal, 2);
    assert.equal(model.historyEntry(1)?.feedback?.['progress'], '100');
  });

  test('drops a released reservation and empties the history when it is cleared', () => {
    const model = loaded([task(1, { state: 'RESERVED' })], [entry(0)]);
    model.apply({ kind: 'removed', id: 1, reason: 'expired' });
    model.apply({ kind: 'historyCleared' });
    assert.equal(model.tasks.length, 0);
    assert.equal(model.history.length, 0);
    assert.equal(model.historyTotal, 0);
  });

  test('appends a page of history without repeating rows it already has', () => {
    const model = loaded([], [entry(9), entry(8)], 4);
    model.appendHistory({ total: 4, entries: [entry(8), entry(7), entry(6)] });
    assert.deepEqual(
      model.history.map((e) => e.id),
      [9, 8, 7, 6],
    );
    assert.equal(model.hasMoreHistory, false);
  });

  test('knows the agent clock from the load and forgets everything on reset', () => {
    const model = new TasksModel();
    model.load({ now: 10_000, tasks: [task(1)] }, { total: 0, entries: [] }, 9_000);
    assert.equal(model.agentNow(20_000), 21_000);
    model.reset();
    assert.equal(model.loaded, false);
    assert.equal(model.tasks.length, 0);
  });
});

/** An AgentApi double: connection state, scripted answers, and deltas pushed by the test. */
class FakeAgent {
  state: ConnectionState = { kind: 'connecting' };
  readonly workspaceFolder = '/ws';
  readonly health = undefined;
  private stateListeners = new Set<(state: ConnectionState) => void>();
  private deltaListeners = new Set<(delta: unknown) => void>();
  list: ListTasksResult = { now: 0, tasks: [] };
  history: TaskHistoryEntry[] = [];
  readonly historyCalls: TaskHistoryParams[] = [];
  /** When set, requests wait for it (to push deltas during a load). */
  gate: Promise<void> | null = null;

  onDidChangeState = (listener: (state: ConnectionState) => void) => {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  };
  onDidChangeHealth = () => ({ dispose: () => undefined });
  onPartChanged = (_topic: string, listener: (delta: unknown) => void) => {
    this.deltaListeners.add(listener);
    return { dispose: () => this.deltaListeners.delete(listener) };
  };
  onNotification = () => ({ dispose: () => undefined });

  async request(type: { method: string }, params?: unknown): Promise<unknown> {
    if (this.gate) await this.gate;
    if (type.method === ListTasksRequest.method) return this.list;
    if (type.method === TaskHistoryRequest.method) {
      const { limit = Infinity, offset = 0 } = params as TaskHistoryParams;
      this.historyCalls.push(params as TaskHistoryParams);
      return { total: this.history.length, entries: this.history.slice(offset, offset + limit) } satisfies TaskHistoryResult;
    }
    throw new Error(`unexpected request ${type.method}`);
  }

  setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  push(delta: TasksDelta): void {
    for (const listener of this.deltaListeners) listener(delta);
  }
}

const RUNNING: ConnectionState = { kind: 'running', pid: 1, agentVersion: '0' };

describe('TasksSync', () => {
  test('loads the list and the first page of history once connected, then follows deltas', async () => {
    const agent = new FakeAgent();
    agent.list = { now: 0, tasks: [task(4)] };
    agent.history = [entry(3), entry(2), entry(1)];
    const model = new TasksModel();
    const sync = new TasksSync(agent as never, model, { pageSize: 2 });
    assert.equal(model.loaded, false, 'nothing is asked before the connection is up');
    agent.setState(RUNNING);
    await sync.followState();
    assert.deepEqual(
      model.history.map((e) => e.id),
      [3, 2],
    );
    agent.push({ kind: 'ended', id: 4, entry: entry(4) });
    assert.equal(model.tasks.length, 0);
    assert.deepEqual(
      model.history.map((e) => e.id),
      [4, 3, 2],
    );
    sync.dispose();
  });

  test('holds the deltas that arrive during the load and replays them after it', async () => {
    const agent = new FakeAgent();
    agent.list = { now: 0, tasks: [task(1)] };
    let open!: () => void;
    agent.gate = new Promise((resolve) => (open = resolve));
    const model = new TasksModel();
    const sync = new TasksSync(agent as never, model);
    agent.setState(RUNNING);
    const loading = sync.load();
    agent.push({ kind: 'upsert', task: task(1, { feedback: { progress: '80' } }) });
    agent.push({ kind: 'upsert', task: task(2) });
    open();
    await loading;
    assert.equal(model.task(1)?.feedback?.['progress'], '80');
    assert.ok(model.task(2));
    sync.dispose();
  });

  test('empties the model when the connection goes, so the view shows its welcome text', async () => {
    const agent = new FakeAgent();
    agent.list = { now: 0, tasks: [task(1)] };
    agent.state = RUNNING;
    const model = new TasksModel();
    const sync = new TasksSync(agent as never, model);
    await sync.followState();
    assert.equal(model.tasks.length, 1);
    agent.setState({ kind: 'stopped' });
    assert.equal(model.loaded, false);
    assert.equal(model.tasks.length, 0);
    agent.push({ kind: 'upsert', task: task(9) });
    assert.equal(model.tasks.length, 0, 'deltas without a connection are ignored');
    sync.dispose();
  });

  test('loads the next page of history from where the loaded rows end', async () => {
    const agent = new FakeAgent();
    agent.state = RUNNING;
    agent.history = [entry(5), entry(4), entry(3), entry(2), entry(1)];
    const model = new TasksModel();
    const sync = new TasksSync(agent as never, model, { pageSize: 2 });
    await sync.followState();
    await sync.loadMoreHistory();
    assert.deepEqual(agent.historyCalls.at(-1), { limit: 2, offset: 2 });
    assert.deepEqual(
      model.history.map((e) => e.id),
      [5, 4, 3, 2],
    );
    assert.equal(model.hasMoreHistory, true);
    sync.dispose();
  });
});
