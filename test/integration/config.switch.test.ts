/**
 * `-f FILE` / `-r FILE` with an agent already running: `reload` (and `up`)
 * switch the agent to the files asked for, which it then follows and
 * `status` shows; a file with errors is not switched to; any other command
 * given other files than the agent follows fails and says how to switch.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { AgentStatus } from '../../agent/protocol';
import type { ListDaemonsResult } from '../../agent/daemons/protocol';
import { cleanupWorkspace } from './support/daemons';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { createWorkspace, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

function daemon(name: string, extra = ''): string {
  return `  ${name}: {commands: {start: [sleep, '100000']}${extra}}\n`;
}

/** A workspace with taskwarden.yaml (task `main`), other.yaml (tasks `front` and `back` by role), roles files and its agent up. */
async function workspace(): Promise<TestWorkspace> {
  const ws = createWorkspace(`tasks:\n${daemon('main')}`);
  used.push(ws);
  fs.writeFileSync(path.join(ws.dir, 'other.yaml'), `tasks:\n${daemon('front', ', roles: [front]')}${daemon('back', ', roles: [back]')}`);
  fs.writeFileSync(path.join(ws.dir, 'roles.front'), 'front\n');
  fs.writeFileSync(path.join(ws.dir, 'roles.back'), 'back\n');
  fs.writeFileSync(path.join(ws.dir, 'broken.yaml'), `tasks:\n  x: {commands: {start: [sleep]}, count: two}\n`);
  const up = await ws.cli(['up']);
  assert.equal(up.code, 0, up.stderr);
  await waitFor(async () => (await running(ws)).includes('main'), { what: 'main to run' });
  return ws;
}

/** Names of the running daemon tasks, sorted. */
async function running(ws: TestWorkspace): Promise<string[]> {
  const list = JSON.parse((await ws.cli(['ps', '--json', '--no-start'])).stdout) as ListDaemonsResult;
  return list.tasks
    .filter((task) => task.instances.some((instance) => instance.state === 'running'))
    .map((task) => task.name)
    .sort();
}

async function status(ws: TestWorkspace): Promise<AgentStatus> {
  return JSON.parse((await ws.cli(['status', '--json'])).stdout) as AgentStatus;
}

describe('switching the running agent to other files', () => {
  it('reload -f FILE switches to it, status shows it, and the watcher follows the new file', async () => {
    const ws = await workspace();

    const reload = await ws.cli(['-f', 'other.yaml', 'reload']);

    assert.equal(reload.code, 0, reload.stderr);
    assert.equal(reload.stdout, `switched to ${path.join(ws.dir, 'other.yaml')} (no roles file); config applied\n`);
    assert.equal((await status(ws)).configFile, path.join(ws.dir, 'other.yaml'));
    assert.match((await ws.cli(['status'])).stdout, new RegExp(`^config +${path.join(ws.dir, 'other.yaml')}$`, 'm'));
    await waitFor(async () => (await running(ws)).join() === 'back,front', { what: 'the tasks of other.yaml to run alone' });

    fs.writeFileSync(path.join(ws.dir, 'other.yaml'), `tasks:\n${daemon('edited')}`);
    await waitFor(async () => (await running(ws)).join() === 'edited', { what: 'an edit of other.yaml to apply' });
    fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), `tasks:\n${daemon('ignored')}`);
    const reloaded = await ws.cli(['reload']);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    assert.deepEqual(await running(ws), ['edited'], 'taskwarden.yaml is no longer followed');
  });

  it('reload -r FILE switches the roles file, and status shows it', async () => {
    const ws = await workspace();
    assert.equal((await ws.cli(['-f', 'other.yaml', '-r', 'roles.front', 'reload'])).code, 0);
    await waitFor(async () => (await running(ws)).join() === 'front', { what: 'only the front task to run' });

    const reload = await ws.cli(['-r', 'roles.back', 'reload']);

    assert.equal(reload.code, 0, reload.stderr);
    assert.match(reload.stdout, /switched to .*other\.yaml \(roles file .*roles\.back\); config applied/);
    await waitFor(async () => (await running(ws)).join() === 'back', { what: 'only the back task to run' });
    assert.equal((await status(ws)).rolesFile, path.join(ws.dir, 'roles.back'));
    assert.match((await ws.cli(['status'])).stdout, new RegExp(`^roles +${path.join(ws.dir, 'roles.back')}$`, 'm'));
  });

  it('does not switch to a file with errors: the agent keeps its file and config, exit 1 with the problems', async () => {
    const ws = await workspace();

    const reload = await ws.cli(['-f', 'broken.yaml', 'reload']);

    assert.equal(reload.code, 1);
    assert.match(reload.stdout, /broken\.yaml:2:\d+: error: .*two/);
    assert.match(reload.stdout, /broken\.yaml: errors, not switched; the agent keeps .*taskwarden\.yaml/);
    assert.doesNotMatch(reload.stdout, /config applied/);
    assert.equal((await status(ws)).configFile, path.join(ws.dir, 'taskwarden.yaml'));
    assert.equal((await status(ws)).configErrors, 0);
    assert.deepEqual(await running(ws), ['main']);
    const missing = await ws.cli(['-f', 'missing.yaml', 'reload']);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /cannot read .*missing\.yaml/);
  });

  it('up -f FILE switches a running agent too', async () => {
    const ws = await workspace();

    const up = await ws.cli(['-f', 'other.yaml', 'up']);

    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /switched to .*other\.yaml/);
    assert.equal((await status(ws)).configFile, path.join(ws.dir, 'other.yaml'));
  });

  it('fails any other command given other files than the agent follows, naming both and how to switch', async () => {
    const ws = await workspace();

    const ps = await ws.cli(['-f', 'other.yaml', 'ps']);
    const start = await ws.cli(['-r', 'roles.front', 'start', 'main']);

    assert.equal(ps.code, 1);
    assert.equal(ps.stdout, '');
    const config = path.join(ws.dir, 'taskwarden.yaml');
    const other = path.join(ws.dir, 'other.yaml');
    assert.match(ps.stderr, new RegExp(`uses the config file ${config}, not ${other} \\(-f\\).*run: taskwarden -f ${other} reload`));
    assert.equal(start.code, 1);
    assert.match(start.stderr, /uses no roles file, not .*roles\.front \(-r\).*run: taskwarden -r .*roles\.front reload/);
    assert.equal((await status(ws)).configFile, config);
    const same = await ws.cli(['-f', 'taskwarden.yaml', 'ps']);
    assert.equal(same.code, 0, same.stderr);
  });
});
