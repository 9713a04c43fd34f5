/**
 * Resource use measured by the agent, on real processes: CPU of a busy tree
 * as /proc counts it, the watch notification, `ps` and `ps --json` figures,
 * and a daemon restarted over its memory limit with the reason recorded.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ResourcesSampledNotification, WatchResourcesRequest, type ResourcesSampledParams } from '../../agent/protocol';
import { type ListDaemonsResult } from '../../agent/daemons/protocol';
import { cleanupWorkspace, FIXTURES, instanceIn, listDaemons, startedWorkspace, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

async function start(config: string): ReturnType<typeof startedWorkspace> {
  const started = await startedWorkspace(config);
  used.push(started.ws);
  return started;
}

/** utime + stime of a process and its descendants, in ticks, read by the test itself. */
function treeTicks(root: number): number {
  const stats = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const text = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(name), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
      } catch {
        return [];
      }
    });
  const inTree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of stats)
      if (!inTree.has(stat.pid) && inTree.has(stat.ppid)) {
        inTree.add(stat.pid);
        grew = true;
      }
  }
  return stats.filter((stat) => inTree.has(stat.pid)).reduce((sum, stat) => sum + stat.ticks, 0);
}

const busy = path.join(FIXTURES, 'busy-child.sh');
const sleepForever = path.join(FIXTURES, 'sleep-forever.sh');
const allocate = path.join(FIXTURES, 'allocate-memory.js');

describe('resource use measured by the agent', () => {
  it("gives a busy process tree's CPU as /proc counts it (the busy loop is a child) and an idle one's as near 0", async () => {
    const { agent } = await start(`tasks:\n  busy: {commands: {start: [${busy}]}}\n  idle: {commands: {start: [${sleepForever}]}}\n`);
    const running = await waitForInstance(agent, 'busy:0', (instance) => instance.pid !== null, 'to run');
    await waitForInstance(agent, 'idle:0', (instance) => instance.pid !== null, 'to run');
    const samples: ResourcesSampledParams[] = [];
    agent.connection.onNotification(ResourcesSampledNotification.type, (params) => {
      samples.push(params);
    });
    // The test's own measure of the same tree, over a window that holds the agent's samples.
    const [ticksBefore, timeBefore] = [treeTicks(running.pid!), Date.now()];
    await agent.connection.sendRequest(WatchResourcesRequest.type, {});
    const sampled = await waitFor(
      () => {
        const last = samples.at(-1);
        const busyRun = last?.runs.find((run) => run.part === 'daemons' && run.id === 'busy:0');
        return samples.length >= 2 && busyRun?.cpuPercent !== null ? last : null;
      },
      { what: 'two samples with the busy daemon', timeoutMs: 20_000 },
    );
    const ownPercent = ((treeTicks(running.pid!) - ticksBefore) / 100 / ((Date.now() - timeBefore) / 1000)) * 100;
    const figure = (id: string): number => sampled.runs.find((run) => run.id === id)!.cpuPercent!;
    // On an idle machine a busy loop is ~100 %; on a loaded one it gets its share, which both measures see.
    assert.ok(ownPercent > 5, `the busy tree ran (${ownPercent.toFixed(1)} % by the test's own measure)`);
    assert.ok(
      figure('busy:0') > ownPercent * 0.5 && figure('busy:0') < ownPercent * 1.5 + 10,
      `agent ${figure('busy:0')} % vs /proc ${ownPercent.toFixed(1)} %`,
    );
    if (ownPercent > 80) assert.ok(figure('busy:0') > 50, `a busy loop with a core of its own shows > 50 %: ${figure('busy:0')}`);
    assert.ok(figure('idle:0') < 5, `the idle daemon: ${figure('idle:0')} %`);
    assert.ok(sampled.runs.find((run) => run.id === 'busy:0')!.memoryBytes > 100_000);
    // While watched, the list carries the figures too.
    const listed = instanceIn(await listDaemons(agent), 'busy:0');
    assert.equal(typeof listed?.cpuPercent, 'number');
    assert.equal(typeof listed?.memoryBytes, 'number');
  });

  it('shows CPU and MEM in ps, and cpuPercent and memoryBytes in ps --json', async () => {
    const { ws, agent } = await start(`tasks:\n  idle: {commands: {start: [${sleepForever}]}}\n`);
    await waitForInstance(agent, 'idle:0', (instance) => instance.pid !== null, 'to run');
    const text = await ws.cli(['ps']);
    assert.equal(text.code, 0, text.stderr);
    const [header, row] = text.stdout.split('\n');
    assert.match(header!, /UPTIME\s+CPU\s+MEM\s+RESTARTS/);
    assert.match(row!, /running\s+\S+\s+\d+(\.\d)?%\s+\d+(\.\d)? (kB|MB)\s+0/);
    const json = await ws.cli(['ps', '--json']);
    const instance = instanceIn(JSON.parse(json.stdout) as ListDaemonsResult, 'idle:0');
    assert.equal(typeof instance?.cpuPercent, 'number', json.stdout);
    assert.ok((instance?.memoryBytes ?? 0) > 100_000, json.stdout);
  });

  it('restarts a daemon over its memory limit and records why, in its last exit and in ps', async () => {
    const { ws, agent } = await start(`tasks:\n  hog: {commands: {start: [${process.execPath}, ${allocate}]}, limits: {memory: 100MB}}\n`);
    const restarted = await waitForInstance(
      agent,
      'hog:0',
      (instance) => instance.restarts >= 2 && instance.lastExit?.reason !== null && instance.lastExit?.reason !== undefined,
      'to be restarted over its limit',
      30_000,
    );
    assert.match(restarted.lastExit!.reason!, /^restarted: memory \d+(\.\d)? MB > 100 MB$/);
    assert.equal(restarted.crashLoop, false);
    const ps = await ws.cli(['ps']);
    assert.match(ps.stdout, /hog\s+0\s+\d+.*\(restarted: memory \d+(\.\d)? MB > 100 MB\)/);
  });

  it('restarts a daemon that stays over its CPU limit for the time the limit names, and says so', async () => {
    const { agent } = await start(`tasks:\n  spin: {commands: {start: [${busy}]}, limits: {cpu: '3% for 2s'}}\n`);
    const first = await waitForInstance(agent, 'spin:0', (instance) => instance.pid !== null, 'to run');
    const restarted = await waitForInstance(
      agent,
      'spin:0',
      (instance) => instance.restarts >= 1 && instance.pid !== null && instance.pid !== first.pid,
      'to be restarted over its CPU limit',
      30_000,
    );
    assert.match(restarted.lastExit?.reason ?? '', /^restarted: cpu \d+(\.\d)?% > 3\.0% for 2 s$/);
  });
});
