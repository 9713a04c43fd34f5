/**
 * Daemons on real processes: start order with readiness, restart with
 * backoff, the crash-loop state and its reset, control from the CLI, group
 * stop, once tasks with onexit, and time limits.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { processIsAlive } from '../../agent/proc/processIdentity';
import { cleanupWorkspace, FIXTURES, fileLines, instanceIn, listDaemons, startedWorkspace, waitForInstance } from './support/daemons';
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

const announce = path.join(FIXTURES, 'announce.sh');
const stampExit = path.join(FIXTURES, 'stamp-exit.sh');

describe('daemon supervision', () => {
  it('starts a dependent only once the daemon it requires is ready', async () => {
    const { ws, agent } = await start(`
tasks:
  db:
    commands: {start: [${announce}, order.txt, db, "0.6"]}
    ready: {log: "db ready"}
  web:
    requires: db
    commands: {start: [${announce}, order.txt, web]}
`);
    const waiting = await waitForInstance(agent, 'web:0', (instance) => instance.state === 'waiting', 'to wait for db');
    assert.deepEqual(waiting.waitingFor, ['db']);
    assert.equal(instanceIn(await listDaemons(agent), 'db:0')?.state, 'starting');
    await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run');
    // Running means started: the program writes its line a moment later.
    const order = path.join(ws.dir, 'order.txt');
    await waitFor(() => fileLines(order).length >= 2, { what: 'web to write its line' });
    assert.deepEqual(
      fileLines(order).map((line) => line.split(' ')[0]),
      ['db', 'web'],
    );
    const db = instanceIn(await listDaemons(agent), 'db:0');
    assert.equal(db?.ready, true);
  });

  it('restarts a daemon that exits, immediately once and then with a growing backoff', async () => {
    const { ws, agent } = await start(`
tasks:
  flaky:
    commands: {start: [${stampExit}, starts.txt, "1"]}
    restart: {initial_delay: 0.3, factor: 2, max_delay: 5, crash_loop: {count: 10, window: 60}}
`);
    const starts = path.join(ws.dir, 'starts.txt');
    await waitFor(() => fileLines(starts).length >= 4, { what: 'four starts', timeoutMs: 10_000 });
    const times = fileLines(starts).map((line) => Number(line.split(' ')[1]) / 1e6);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    assert.ok(gaps[0]! < 250, `the first restart is immediate (${gaps[0]} ms)`);
    assert.ok(gaps[1]! >= 280, `the second waits the initial delay (${gaps[1]} ms)`);
    assert.ok(gaps[2]! >= 580, `the third waits twice as long (${gaps[2]} ms)`);
    const flaky = await waitForInstance(agent, 'flaky:0', (instance) => instance.state === 'backoff', 'to be in backoff');
    assert.ok(flaky.nextStartAt !== null && flaky.restarts >= 3);
    assert.equal(flaky.lastExit?.code, 1);
  });

  it('enters the crash-loop state after quick failures and leaves it on reset', async () => {
    const { ws, agent } = await start(`
tasks:
  broken:
    commands: {start: [${stampExit}, starts.txt, "2"]}
    restart: {initial_delay: 0.05, crash_loop: {count: 3, window: 30}}
`);
    const looped = await waitForInstance(agent, 'broken:0', (instance) => instance.state === 'crashloop', 'to crash-loop');
    assert.equal(looped.crashLoop, true);
    assert.match(looped.message ?? '', /crash loop: 3 quick exits/);
    const ps = await ws.cli(['ps']);
    assert.match(ps.stdout, /broken\s+0\s+-\s+crash loop\s/);
    const startsBefore = fileLines(path.join(ws.dir, 'starts.txt')).length;
    assert.equal(startsBefore, 3);

    const reset = await ws.cli(['reset', 'broken']);
    assert.equal(reset.code, 0, reset.stderr);
    await waitFor(() => fileLines(path.join(ws.dir, 'starts.txt')).length > startsBefore, { what: 'a start after the reset' });
    await waitForInstance(agent, 'broken:0', (instance) => instance.state === 'crashloop', 'to crash-loop again');
  });

  it('counts starts that cannot run the program as failed starts in ps, the list and the crash-loop note', async () => {
    const { ws, agent } = await start(`
tasks:
  missing:
    commands: {start: [./no-such-program-tw, --flag]}
    restart: {initial_delay: 0.05, crash_loop: {count: 3, window: 30}}
`);
    const looped = await waitForInstance(agent, 'missing:0', (instance) => instance.state === 'crashloop', 'to crash-loop');
    // Three attempts: the first start and two restarts, as for a program that exits at once.
    assert.equal(looped.restarts, 2);
    assert.equal(looped.lastExit?.reason, 'could not start: ENOENT: command not found: ./no-such-program-tw');
    assert.equal(
      looped.message,
      'crash loop: 3 failed starts within 30 s (last could not start: ENOENT: command not found: ./no-such-program-tw); restarting stopped until reset',
    );
    const ps = await ws.cli(['ps']);
    // UPTIME, CPU and MEM are '-' with no process.
    assert.match(
      ps.stdout,
      /missing\s+0\s+-\s+crash loop\s+-\s+-\s+-\s+2\s+could not start: ENOENT: command not found: \.\/no-such-program-tw/,
    );
    assert.doesNotMatch(ps.stdout, /unknown/);
  });

  it('stops, starts and restarts a daemon from the CLI and explains an unknown name', async () => {
    const { ws, agent } = await start(`
tasks:
  svc:
    count: 2
    commands: {start: [${path.join(FIXTURES, 'sleep-forever.sh')}]}
`);
    const first = await waitForInstance(agent, 'svc:1', (instance) => instance.state === 'running', 'to run');
    const stop = await ws.cli(['stop', 'svc:1']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /svc:1 stopped/);
    assert.equal(processIsAlive(first.pid!), false);
    assert.equal(instanceIn(await listDaemons(agent), 'svc:0')?.state, 'running');

    const started = await ws.cli(['start', 'svc:1', '--json']);
    const pid = (JSON.parse(started.stdout) as { instances: { pid: number }[] }).instances[0]!.pid;
    assert.ok(pid > 0 && pid !== first.pid);

    const before = instanceIn(await listDaemons(agent), 'svc:0')!;
    const restart = await ws.cli(['restart', 'svc']);
    assert.equal(restart.code, 0, restart.stderr);
    const after = instanceIn(await listDaemons(agent), 'svc:0')!;
    assert.notEqual(after.pid, before.pid);
    assert.equal(after.restarts, before.restarts + 1);

    const unknown = await ws.cli(['stop', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no daemon named 'nope' \(known: svc\)/);
  });

  it('stops the whole process group, so a forked grandchild that ignores SIGTERM dies too', async () => {
    const { ws, agent } = await start(`
tasks:
  forker:
    commands: {start: [${path.join(FIXTURES, 'fork-grandchild.sh')}, grandchild.pid]}
    stop_timeout: 0.5
`);
    await waitForInstance(agent, 'forker:0', (instance) => instance.state === 'running', 'to run');
    const pidFile = path.join(ws.dir, 'grandchild.pid');
    const grandchild = Number(
      await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim(), { what: 'the grandchild pid' }),
    );
    assert.ok(processIsAlive(grandchild));
    const stop = await ws.cli(['stop', 'forker']);
    assert.equal(stop.code, 0, stop.stderr);
    await waitFor(() => !processIsAlive(grandchild), { what: 'the grandchild to die', timeoutMs: 5000 });
  });

  it('holds dependents until a once task has exited, and reruns it when onexit asks', async () => {
    const { ws, agent } = await start(`
tasks:
  setup:
    control: once
    commands: {start: [sh, -c, 'echo setup >> log.txt; sleep 0.3']}
  app:
    requires: setup
    commands: {start: [sh, -c, 'echo app >> log.txt; sleep 0.3; exit 1']}
    onexit: [{type: start, task: setup}]
    restart: {crash_loop: false, initial_delay: 0.05}
`);
    await waitFor(() => fileLines(path.join(ws.dir, 'log.txt')).length >= 6, { what: 'three rounds of setup then app', timeoutMs: 10_000 });
    const log = fileLines(path.join(ws.dir, 'log.txt')).slice(0, 6);
    assert.deepEqual(log, ['setup', 'app', 'setup', 'app', 'setup', 'app']);
    const setup = instanceIn(await listDaemons(agent), 'setup:0');
    assert.ok(setup && ['exited', 'running', 'starting'].includes(setup.state));
  });

  it('stops a daemon at its time_limit and restarts it', async () => {
    const { agent } = await start(`
tasks:
  limited:
    commands: {start: [${path.join(FIXTURES, 'sleep-forever.sh')}]}
    time_limit: 0.4
`);
    const first = await waitForInstance(agent, 'limited:0', (instance) => instance.state === 'running', 'to run');
    const second = await waitForInstance(
      agent,
      'limited:0',
      (instance) => instance.state === 'running' && instance.pid !== first.pid,
      'to run again after its time limit',
    );
    assert.match(second.lastExit?.reason ?? '', /time_limit of 0.4 s reached/);
    assert.equal(second.crashLoop, false);
  });
});
