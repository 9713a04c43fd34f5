/**
 * The extension's copy of the process groups: read on connect (status, then each group's params),
 * params and round deltas applied as they come, a `groups` delta answered by a status read of the
 * named groups only (coalesced), removed groups dropped, and an empty model when the connection goes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  GroupParamsRequest,
  GroupStatusRequest,
  type GroupParams,
  type GroupStatus,
  type GroupStatusResult,
} from '../../../agent/groups/protocol';
import { GroupsModel } from '../../../extension/groups/groupsModel';
import { FakeAgent, RUNNING, settled } from './fakeAgent';
import { group, tasklet } from './groupFixtures';

/** The agent's groups and params, and the requests it was asked. */
class GroupsAgent extends FakeAgent {
  groups: GroupStatus[] = [];
  params = new Map<string, GroupParams>();
  readonly calls: string[] = [];

  protected answer(method: string, params: unknown): unknown {
    if (method === GroupStatusRequest.method) {
      const name = (params as { group?: string }).group;
      this.calls.push(name === undefined ? 'status' : `status ${name}`);
      const groups = name === undefined ? this.groups : this.groups.filter((group) => group.name === name);
      if (name !== undefined && groups.length === 0) throw new Error(`no group named ${name}`);
      return { now: 1000, agentStartedAt: 0, groups } satisfies GroupStatusResult;
    }
    if (method === GroupParamsRequest.method) {
      const name = (params as { group: string }).group;
      this.calls.push(`params ${name}`);
      return { group: name, params: this.params.get(name) ?? {}, updatedAt: null, paramsFile: null, problems: [] };
    }
    throw new Error(`unexpected request ${method}`);
  }
}

function setup(): { agent: GroupsAgent; model: GroupsModel; errors: string[] } {
  const agent = new GroupsAgent();
  const errors: string[] = [];
  const model = new GroupsModel(agent as never, (message) => errors.push(message));
  return { agent, model, errors };
}

describe('GroupsModel', () => {
  test('reads nothing before the connection is up, then the status and each group’s params', async () => {
    const { agent, model, errors } = setup();
    agent.groups = [group({ name: 'a' }), group({ name: 'b' })];
    agent.params.set('a', { count: 1 });
    await settled();
    assert.equal(model.loaded, false);
    assert.deepEqual(agent.calls, []);
    agent.setState(RUNNING);
    await settled();
    assert.equal(model.loaded, true);
    assert.deepEqual(
      model.groups.map((g) => g.name),
      ['a', 'b'],
    );
    assert.deepEqual(model.params.get('a'), { count: 1 });
    assert.deepEqual(model.params.get('b'), {});
    assert.deepEqual(agent.calls, ['status', 'params a', 'params b']);
    assert.deepEqual(errors, []);
  });

  test('applies a params delta without asking the agent', async () => {
    const { agent, model } = setup();
    agent.groups = [group()];
    agent.setState(RUNNING);
    await settled();
    agent.calls.length = 0;
    let changes = 0;
    model.onChange(() => changes++);
    agent.push({ kind: 'params', group: 'demo', params: { count: 7 }, updatedAt: 2000 });
    assert.deepEqual(model.params.get('demo'), { count: 7 });
    assert.equal(changes, 1);
    assert.deepEqual(agent.calls, []);
  });

  test("applies a round's tasklets as they come, and reads only the status of a group a `groups` delta names", async () => {
    const { agent, model } = setup();
    agent.groups = [group({ name: 'a' }), group({ name: 'b' })];
    agent.setState(RUNNING);
    await settled();
    agent.calls.length = 0;
    const ran = tasklet({ outcome: 'error', lastError: { message: 'boom', stack: [] } });
    agent.push({ kind: 'round', round: { group: 'a', round: 4, startedAt: 1, endedAt: 2, endedBy: 'done', results: [] }, tasklets: [ran] });
    assert.deepEqual(model.group('a')?.taskletStatus, [ran]);
    assert.deepEqual(agent.calls, [], 'a round costs no request');
    agent.groups = [group({ name: 'a', rounds: 4 }), group({ name: 'b' })];
    agent.push({ kind: 'groups', groups: [group({ name: 'a', rounds: 4 })] });
    await settled();
    assert.deepEqual(agent.calls, ['status a']);
    assert.equal(model.group('a')?.rounds, 4);
    assert.deepEqual(
      model.groups.map((g) => g.name),
      ['a', 'b'],
    );
  });

  test('coalesces a burst of deltas into one read in flight and one after it', async () => {
    const { agent, model } = setup();
    agent.groups = [group()];
    agent.setState(RUNNING);
    await settled();
    agent.calls.length = 0;
    agent.groups = [group({ rounds: 14 })];
    for (let i = 0; i < 5; i++) agent.push({ kind: 'groups', groups: [group({ rounds: 10 + i })] });
    await settled();
    assert.deepEqual(agent.calls, ['status demo', 'status demo']);
    assert.equal(model.group('demo')?.rounds, 14);
  });

  test('reads a group that appears with its params, and drops one that went without asking', async () => {
    const { agent, model } = setup();
    agent.groups = [group({ name: 'a' })];
    agent.setState(RUNNING);
    await settled();
    agent.calls.length = 0;
    agent.push({ kind: 'removed', names: ['a'] });
    assert.deepEqual(model.groups, []);
    assert.deepEqual(agent.calls, []);
    agent.groups = [group({ name: 'b' })];
    agent.params.set('b', { fresh: true });
    agent.push({ kind: 'groups', groups: [group({ name: 'b' })] });
    await settled();
    assert.deepEqual(agent.calls, ['status b', 'params b']);
    assert.deepEqual([...model.params.entries()], [['b', { fresh: true }]]);
  });

  test('a delta it does not know makes it read everything again', async () => {
    const { agent, model } = setup();
    agent.groups = [group()];
    agent.setState(RUNNING);
    await settled();
    agent.calls.length = 0;
    agent.push({ kind: 'somethingNew' });
    await settled();
    assert.deepEqual(agent.calls, ['status', 'params demo']);
    assert.equal(model.loaded, true);
  });

  test('finds a tasklet by its file, and gathers every group’s problems', async () => {
    const { agent, model } = setup();
    const problem = {
      file: '/ws/processhandler/demo/x.js',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      severity: 'error' as const,
      message: 'no main',
    };
    agent.groups = [group({ problems: [problem] })];
    agent.setState(RUNNING);
    await settled();
    assert.equal(model.taskletOfFile('/ws/processhandler/demo/10_count.js')?.group.name, 'demo');
    assert.equal(model.taskletOfFile('/ws/elsewhere.js'), undefined);
    assert.deepEqual(model.diagnostics, [problem]);
  });

  test('empties when the connection goes, so the view shows its welcome text and Problems clear', async () => {
    const { agent, model } = setup();
    agent.groups = [group()];
    agent.setState(RUNNING);
    await settled();
    agent.setState({ kind: 'stopped' });
    await settled();
    assert.equal(model.loaded, false);
    assert.deepEqual(model.groups, []);
    assert.deepEqual(model.diagnostics, []);
  });
});
