import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { HealthRequest, StatusRequest } from '../../agent/protocol';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { createWorkspace, type TestWorkspace } from './support/workspace';

const CONFIG = 'tasks:\n  sleeper:\n    commands: { start: [sleep, "100000"] }\n';

const workspaces: TestWorkspace[] = [];
afterEach(async () => {
  for (const created of workspaces.splice(0)) await created.cleanup();
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

async function sleeperPid(ws: TestWorkspace): Promise<number | null> {
  const ps = await ws.cli(['ps', '--json', '--no-start']);
  if (ps.code !== 0) return null;
  const tasks = (JSON.parse(ps.stdout) as { tasks: { name: string; instances: { pid: number | null }[] }[] }).tasks;
  return tasks.find((task) => task.name === 'sleeper')?.instances[0]?.pid ?? null;
}

describe('config reloads', () => {
  it('ride out an editor that empties the file before writing it again', async () => {
    const ws = createWorkspace(CONFIG);
    workspaces.push(ws);
    await ws.cli(['up']);
    const pid = await waitFor(() => sleeperPid(ws), { what: 'the sleeper to run' });
    // An in-place save: truncate, a pause long enough for the watcher to read, then the content.
    const file = path.join(ws.dir, 'taskwarden.yaml');
    fs.writeFileSync(file, '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    fs.writeFileSync(file, CONFIG);
    // Once the agent has applied the rewritten file, the daemon must still be the same process.
    const applied = (): number =>
      (fs.readFileSync(path.join(ws.dir, '.taskwarden', 'logs', 'agent.log'), 'utf8').match(/config applied/g) ?? []).length;
    await waitFor(() => applied() >= 2, { what: 'the agent to apply the rewritten config' });
    assert.equal(await sleeperPid(ws), pid);
  });

  it('keep the running config when the file is emptied, and say why in the log, the status, reload and check', async () => {
    const ws = createWorkspace(CONFIG);
    workspaces.push(ws);
    await ws.cli(['up']);
    const pid = await waitFor(() => sleeperPid(ws), { what: 'the sleeper to run' });
    fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), '# everything off for now\n');
    const agent = await ws.connect();
    await waitFor(async () => (await agent.connection.sendRequest(StatusRequest.type)).configErrors === 1, {
      what: 'the agent to refuse the emptied file',
    });
    assert.equal(await sleeperPid(ws), pid, 'the daemon is the same process');
    const health = await agent.connection.sendRequest(HealthRequest.type);
    assert.equal(health.level, 'warning');
    assert.match(health.message, /taskwarden\.yaml has 1 error; the last good config is running/);
    const log = fs.readFileSync(path.join(ws.dir, '.taskwarden', 'logs', 'agent.log'), 'utf8');
    assert.match(log, /config not applied: 1 error; the last good config keeps running/);
    assert.match(log, /taskwarden\.yaml:1:1: error: the config is empty \(only blank lines or comments\)/);

    const reload = await ws.cli(['reload']);
    assert.equal(reload.code, 1);
    assert.match(reload.stdout, /taskwarden\.yaml:1:1: error: the config is empty .*write 'tasks: \{\}' to run no daemons\n/);
    assert.match(reload.stdout, /not applied; the running config stays/);
    const check = await ws.cli(['check']);
    assert.equal(check.code, 1);
    assert.equal(
      check.stdout,
      "taskwarden.yaml:1:1: error: the config is empty (only blank lines or comments): it is not applied and the running config stays; write 'tasks: {}' to run no daemons\n",
    );
    assert.equal(await sleeperPid(ws), pid, 'still the same process after reload');
  });

  it('keep the running config when the file is deleted, and apply it again once it is back', async () => {
    const ws = createWorkspace(CONFIG);
    workspaces.push(ws);
    await ws.cli(['up']);
    const pid = await waitFor(() => sleeperPid(ws), { what: 'the sleeper to run' });
    const file = path.join(ws.dir, 'taskwarden.yaml');
    fs.rmSync(file);
    const agent = await ws.connect();
    await waitFor(async () => (await agent.connection.sendRequest(StatusRequest.type)).configErrors === 1, {
      what: 'the agent to refuse the missing file',
    });
    assert.equal(await sleeperPid(ws), pid, 'the daemon is the same process');
    const health = await agent.connection.sendRequest(HealthRequest.type);
    assert.match(health.message, /taskwarden\.yaml has 1 error; the last good config is running/);
    const log = fs.readFileSync(path.join(ws.dir, '.taskwarden', 'logs', 'agent.log'), 'utf8');
    assert.match(log, /taskwarden\.yaml is gone \(deleted or moved\): the running config stays/);

    fs.writeFileSync(file, CONFIG);
    await waitFor(async () => (await agent.connection.sendRequest(StatusRequest.type)).configErrors === 0, {
      what: 'the agent to take the file back',
    });
    assert.equal(await sleeperPid(ws), pid, 'still the same process');
  });

  it("stop every daemon for 'tasks: {}' written on purpose", async () => {
    const ws = createWorkspace(CONFIG);
    workspaces.push(ws);
    await ws.cli(['up']);
    await waitFor(() => sleeperPid(ws), { what: 'the sleeper to run' });
    fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), 'tasks: {}\n');
    await waitFor(async () => (await sleeperPid(ws)) === null, { what: "the sleeper to stop under 'tasks: {}'" });
  });
});
