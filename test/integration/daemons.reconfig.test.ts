/**
 * Live reconfiguration of daemons: editing taskwarden.yaml restarts only what
 * changed, starts and stops added and removed tasks, follows control and count
 * edits, and a broken edit leaves everything running.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { processIsAlive } from '../../agent/proc/processIdentity';
import { cleanupWorkspace, FIXTURES, instanceIn, listDaemons, replaceConfig, startedWorkspace, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
async function start(config: string): ReturnType<typeof startedWorkspace> {
  const started = await startedWorkspace(config);
  used.push(started.ws);
  return started;
}
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

const sleepForever = path.join(FIXTURES, 'sleep-forever.sh');

function config(tasks: string): string {
  return `tasks:\n${tasks}`;
}

describe('live reconfiguration', () => {
  it('restarts a changed task, keeps an unchanged one, and starts and stops added and removed tasks', async () => {
    const { ws, agent } = await start(
      config(`
  base: {commands: {start: [${sleepForever}]}}
  changed: {commands: {start: [${sleepForever}]}, env: {MODE: one}}
  doomed: {commands: {start: [${sleepForever}]}}
`),
    );
    const base = await waitForInstance(agent, 'base:0', (instance) => instance.state === 'running', 'to run');
    const changed = await waitForInstance(agent, 'changed:0', (instance) => instance.state === 'running', 'to run');
    const doomed = await waitForInstance(agent, 'doomed:0', (instance) => instance.state === 'running', 'to run');

    // base: only keys that never restart (requires, start_delay); changed: its environment.
    replaceConfig(
      ws,
      config(`
  base: {commands: {start: [${sleepForever}]}, start_delay: 0.1, requires: [changed]}
  changed: {commands: {start: [${sleepForever}]}, env: {MODE: two}}
  added: {commands: {start: [${sleepForever}]}}
`),
    );
    await waitForInstance(agent, 'added:0', (instance) => instance.state === 'running', 'to start');
    await waitForInstance(agent, 'changed:0', (instance) => instance.state === 'running' && instance.pid !== changed.pid, 'to restart');
    await waitFor(() => !processIsAlive(doomed.pid!), { what: 'the removed task to stop' });
    const list = await listDaemons(agent);
    assert.equal(instanceIn(list, 'base:0')?.pid, base.pid);
    assert.equal(instanceIn(list, 'doomed:0'), undefined);
    assert.deepEqual(
      list.tasks.map((task) => task.name),
      ['changed', 'added', 'base'],
    );
  });

  it('keeps the running daemons when an edit breaks the config, and applies the fixed one', async () => {
    const { ws, agent } = await start(config(`  steady: {commands: {start: [${sleepForever}]}}\n`));
    const steady = await waitForInstance(agent, 'steady:0', (instance) => instance.state === 'running', 'to run');

    replaceConfig(
      ws,
      config(`  steady: {commands: {start: [${sleepForever}]}, requires: [ghost]}\n  extra: {commands: {start: [${sleepForever}]}}\n`),
    );
    const reload = await ws.cli(['reload']);
    assert.equal(reload.code, 1);
    assert.match(reload.stdout, /taskwarden\.yaml:2:\d+: error: requires 'ghost', which is not a task/);
    assert.match(reload.stdout, /not applied; the running config stays/);
    const status = JSON.parse((await ws.cli(['status', '--json'])).stdout) as { configErrors: number };
    assert.equal(status.configErrors, 1);
    const during = await listDaemons(agent);
    assert.equal(instanceIn(during, 'steady:0')?.pid, steady.pid);
    assert.equal(instanceIn(during, 'extra:0'), undefined);

    replaceConfig(ws, config(`  steady: {commands: {start: [${sleepForever}]}}\n  extra: {commands: {start: [${sleepForever}]}}\n`));
    const fixed = await ws.cli(['reload']);
    assert.equal(fixed.code, 0, fixed.stdout);
    await waitForInstance(agent, 'extra:0', (instance) => instance.state === 'running', 'to start once the config is fixed');
    assert.equal(instanceIn(await listDaemons(agent), 'steady:0')?.pid, steady.pid);
  });

  it('suspends and resumes a task when its control changes, and follows count edits', async () => {
    const { ws, agent } = await start(config(`  pool: {count: 3, commands: {start: [${sleepForever}]}}\n`));
    const zero = await waitForInstance(agent, 'pool:0', (instance) => instance.state === 'running', 'to run');
    const two = await waitForInstance(agent, 'pool:2', (instance) => instance.state === 'running', 'to run');

    replaceConfig(ws, config(`  pool: {count: 2, commands: {start: [${sleepForever}]}}\n`));
    await waitFor(async () => instanceIn(await listDaemons(agent), 'pool:2') === undefined, { what: 'pool:2 to go' });
    await waitFor(() => !processIsAlive(two.pid!), { what: 'pool:2 to stop' });
    assert.equal(instanceIn(await listDaemons(agent), 'pool:0')?.pid, zero.pid);

    replaceConfig(ws, config(`  pool: {count: 2, control: suspend, commands: {start: [${sleepForever}]}}\n`));
    await waitForInstance(agent, 'pool:0', (instance) => instance.state === 'suspended', 'to be suspended');
    assert.equal(processIsAlive(zero.pid!), false);

    replaceConfig(ws, config(`  pool: {count: 2, control: wait, commands: {start: [${sleepForever}]}}\n`));
    await waitForInstance(agent, 'pool:1', (instance) => instance.state === 'running', 'to run again');
  });
});
