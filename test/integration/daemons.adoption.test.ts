/**
 * Adoption: the agent dies (SIGKILL) or leaves with `down --keep`, and the
 * next agent takes over the running daemons by pid + start time without
 * starting a second copy of any, while their output keeps flowing to their
 * log files without a lost line. Instances that ended meanwhile restart.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { processIsAlive, readProcStat } from '../../agent/proc/processIdentity';
import type { ListDaemonsResult } from '../../agent/protocol';
import { cleanupWorkspace, FIXTURES, fileLines, instanceIn, listDaemons, startedWorkspace, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

const COUNT = 20;
const heartbeat = path.join(FIXTURES, 'heartbeat.sh');

function heartbeats(count: number): string {
  const tasks = Array.from({ length: count }, (_, index) => `  beat${index}: {commands: {start: [${heartbeat}, "0.05"]}}`);
  return `tasks:\n${tasks.join('\n')}\n  setup: {control: once, commands: {start: [sh, -c, 'echo ran >> setup.txt']}}\n`;
}

/** Group leaders carrying the daemon marker of `id` in this workspace. */
function leadersOf(dir: string, id: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      const stat = readProcStat(Number(entry));
      if (
        stat &&
        stat.pgid === stat.pid &&
        stat.state !== 'Z' &&
        environ.includes(`TASKWARDEN_WORKSPACE=${dir}`) &&
        environ.includes(`TASKWARDEN_DAEMON=${id}`)
      )
        pids.push(stat.pid);
    } catch {
      // Not readable, or gone.
    }
  }
  return pids;
}

function pidsOf(list: ListDaemonsResult): Map<string, number | null> {
  return new Map(list.tasks.flatMap((task) => task.instances).map((instance) => [instance.id, instance.pid]));
}

/** "beat 1", "beat 2", … with no number missing. */
function assertContinuous(file: string): number {
  const numbers = fileLines(file).map((line) => Number(/^beat (\d+)$/.exec(line)?.[1]));
  assert.ok(numbers.length > 0, `${file} has lines`);
  numbers.forEach((number, index) => assert.equal(number, index + 1, `${path.basename(file)} line ${index + 1}`));
  return numbers.length;
}

describe('adoption', () => {
  it('adopts 20 running daemons after the agent is SIGKILLed: same pids, no duplicates, no lost log line', async () => {
    const { ws, agent } = await startedWorkspace(heartbeats(COUNT));
    used.push(ws);
    await waitFor(
      async () =>
        (await listDaemons(agent)).tasks.flatMap((task) => task.instances).filter((instance) => instance.state === 'running').length ===
        COUNT,
      { what: 'all heartbeats running', timeoutMs: 20_000 },
    );
    await waitForInstance(agent, 'setup:0', (instance) => instance.state === 'exited', 'to have run');
    const before = pidsOf(await listDaemons(agent));
    const agentPid = agent.handshake.pid;
    agent.close();

    process.kill(agentPid, 'SIGKILL');
    await waitFor(() => !processIsAlive(agentPid), { what: 'the agent to die' });
    const logFile = (index: number): string => path.join(ws.dir, '.taskwarden/logs/daemons', `beat${index}.0.out`);
    const linesAtDeath = fileLines(logFile(0)).length;
    // The daemons keep writing while no agent runs.
    await waitFor(() => fileLines(logFile(0)).length > linesAtDeath + 5, { what: 'output while the agent is gone' });

    const up = await ws.cli(['up']);
    assert.equal(up.code, 0, up.stderr);
    const next = await ws.connect();
    assert.notEqual(next.handshake.pid, agentPid);
    const after = await waitFor(
      async () => {
        const list = await listDaemons(next);
        return list.tasks.flatMap((task) => task.instances).filter((instance) => instance.adopted).length === COUNT ? list : null;
      },
      { what: 'every heartbeat adopted', timeoutMs: 15_000 },
    );
    for (let index = 0; index < COUNT; index += 1) {
      const id = `beat${index}:0`;
      assert.equal(instanceIn(after, id)?.pid, before.get(id), `${id} kept its pid`);
      assert.equal(instanceIn(after, id)?.state, 'running');
      assert.deepEqual(leadersOf(ws.dir, id), [before.get(id)], `${id} runs once`);
    }
    assert.equal(instanceIn(after, 'setup:0')?.state, 'exited');
    assert.deepEqual(fileLines(path.join(ws.dir, 'setup.txt')), ['ran'], 'the once task did not run again');

    // Output goes on in the same files, and the new agent streams it.
    const counted = fileLines(logFile(3)).length;
    await waitFor(() => fileLines(logFile(3)).length > counted + 3, { what: 'more output after adoption' });
    for (let index = 0; index < COUNT; index += 1) assertContinuous(logFile(index));
    const logs = await ws.cli(['logs', 'beat3', '-n', '2', '--stdout']);
    assert.match(logs.stdout, /^beat \d+\nbeat \d+\n$/);

    // An adopted daemon that dies is restarted by the new agent.
    const victim = before.get('beat7:0')!;
    process.kill(victim, 'SIGKILL');
    const restarted = await waitForInstance(
      next,
      'beat7:0',
      (instance) => instance.state === 'running' && instance.pid !== victim,
      'to restart after its adopted process died',
    );
    assert.equal(restarted.adopted, false);
  });

  it('restarts what ended while no agent ran, and leaves processes running across down --keep', async () => {
    const { ws, agent } = await startedWorkspace(heartbeats(3));
    used.push(ws);
    await waitFor(
      async () =>
        (await listDaemons(agent)).tasks.flatMap((task) => task.instances).filter((instance) => instance.state === 'running').length === 3,
      { what: 'heartbeats running' },
    );
    const before = pidsOf(await listDaemons(agent));
    agent.close();

    const down = await ws.cli(['down', '--keep']);
    assert.equal(down.code, 0, down.stderr);
    for (const pid of before.values()) if (pid !== null) assert.ok(processIsAlive(pid), `pid ${pid} kept running`);
    const gone = before.get('beat1:0')!;
    process.kill(gone, 'SIGKILL');
    await waitFor(() => !processIsAlive(gone) || readProcStat(gone)?.state === 'Z', { what: 'beat1 to die' });

    await ws.cli(['up']);
    const next = await ws.connect();
    const kept = await waitForInstance(next, 'beat0:0', (instance) => instance.adopted, 'to be adopted');
    assert.equal(kept.pid, before.get('beat0:0'));
    const replaced = await waitForInstance(next, 'beat1:0', (instance) => instance.state === 'running', 'to run again');
    assert.notEqual(replaced.pid, gone);
    assert.equal(replaced.adopted, false);
    assert.deepEqual(leadersOf(ws.dir, 'beat1:0'), [replaced.pid]);
  });
});
