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
import { rotationMarkerBase } from '../../agent/proc/rotatedLog';
import type { ListDaemonsResult } from '../../agent/daemons/protocol';
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

/** Group leaders carrying the run mark of daemon instance `id` in this workspace. */
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
        environ.includes(`TASKWARDEN_RUN=daemons:${id}`)
      )
        pids.push(stat.pid);
    } catch {
      // Not readable, or gone.
    }
  }
  return pids;
}

/** Spawn helpers (not one-shot rotations) running in this workspace folder: the agent's, or one that outlived it. */
function spawnHelpersIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (command.length === 1 && command[0]!.endsWith('taskwarden-spawner') && fs.readlinkSync(`/proc/${entry}/cwd`) === dir)
        pids.push(Number(entry));
    } catch {
      // Not readable, or gone.
    }
  }
  return pids;
}

/** Bytes written to a log file since it was created: those rotated out of its front (its marker's base) and those in it. */
function bytesWritten(file: string): number {
  const text = fs.readFileSync(file, 'latin1');
  return (rotationMarkerBase(text.slice(0, text.indexOf('\n') + 1).trimEnd()) ?? 0) + text.length;
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

  it('keeps a log within its cap while the agent is dead, and hands its rotation to the next agent without losing a line', async () => {
    // About 1 MB a second, in lines of ~100 bytes, against a cap of 64 KiB.
    const writer = `let n = 0; setInterval(() => { let chunk = ''; for (let i = 0; i < 100; i++) chunk += 'line ' + ++n + ' ' + 'x'.repeat(80) + '\\n'; process.stdout.write(chunk); }, 10);`;
    const { ws, agent } = await startedWorkspace(
      `tasks:\n  writer:\n    commands: {start: [${process.execPath}, writer.js]}\n    logs: {max_bytes: 65536, keep: 3}\n`,
      { 'writer.js': writer },
    );
    used.push(ws);
    await waitForInstance(agent, 'writer:0', (instance) => instance.state === 'running', 'to run');
    const file = path.join(ws.dir, '.taskwarden/logs/daemons/writer.0.out');
    const helpers = await waitFor(() => (spawnHelpersIn(ws.dir).length === 1 ? spawnHelpersIn(ws.dir) : null), {
      what: "the agent's spawn helper",
    });
    const agentPid = agent.handshake.pid;
    agent.close();

    process.kill(agentPid, 'SIGKILL');
    await waitFor(() => !processIsAlive(agentPid), { what: 'the agent to die' });
    const atDeath = bytesWritten(file);
    let largest = 0;
    await waitFor(
      () => {
        largest = Math.max(largest, fs.statSync(file).size);
        return bytesWritten(file) > atDeath + 3_000_000;
      },
      { what: '3 MB more output with no agent', timeoutMs: 30_000, intervalMs: 20 },
    );
    // Without rotation the file would hold all of it; the helper that outlived the agent rotates about once a second.
    assert.ok(largest < 1_500_000, `the log grew to ${largest} bytes with the agent dead`);
    for (const index of [1, 2, 3]) assert.ok(fs.statSync(`${file}.${index}`).size <= 65_536, `${file}.${index} within the cap`);
    assert.deepEqual(spawnHelpersIn(ws.dir), helpers, 'the helper outlived its agent');

    assert.equal((await ws.cli(['up'])).code, 0);
    await waitFor(() => !processIsAlive(helpers[0]!), { what: 'the old helper to leave once the new agent runs', timeoutMs: 15_000 });
    const next = await ws.connect();
    await waitForInstance(next, 'writer:0', (instance) => instance.adopted, 'to be adopted');
    const sizeNow = bytesWritten(file);
    await waitFor(() => bytesWritten(file) > sizeNow + 300_000, { what: 'more output under the new agent' });
    const logs = await ws.cli(['logs', 'writer', '-n', '1000000', '--stdout']);
    const numbers = logs.stdout
      .split('\n')
      .slice(0, -1)
      .map((line) => Number(/^line (\d+) x{80}$/.exec(line)?.[1]));
    assert.ok(numbers.length > 1000, `${numbers.length} lines read back`);
    numbers
      .slice(1)
      .forEach((number, index) => assert.equal(number, numbers[index]! + 1, `line ${index + 2} of the history follows the one before`));
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
