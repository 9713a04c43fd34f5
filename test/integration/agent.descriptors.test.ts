/**
 * A descriptor the caller of `taskwarden up` left open (`exec 200>file`) must
 * reach neither the detached agent nor what it starts: held open, it keeps an
 * `ssh host taskwarden up` or a CI step waiting for an end that never comes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { readProcStat } from '../../agent/proc/processIdentity';
import { cleanupWorkspace, FIXTURES, waitForInstance } from './support/daemons';
import { leakedProcesses } from './support/leakCheck';
import { createWorkspace, runShell, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

/** Descriptor number → what it points to, for a process. */
function descriptorsOf(pid: number): Map<number, string> {
  const found = new Map<number, string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      found.set(Number(fd), fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // Closed meanwhile.
    }
  }
  return found;
}

/** The agent's spawn helper, if it runs one. */
function spawnHelperOf(agentPid: number): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || readProcStat(Number(entry))?.ppid !== agentPid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes('taskwarden-spawner')) return Number(entry);
    } catch {
      // Gone.
    }
  }
  return null;
}

describe("descriptors left open by up's caller", () => {
  for (const [how, env] of [
    ['the spawn helper', {}],
    ["Node's spawn", { TASKWARDEN_SPAWNER: 'off' }],
  ] as const) {
    it(`reach neither the agent nor a daemon it starts through ${how}`, async () => {
      const ws = createWorkspace(`tasks:\n  web: {commands: {start: [${path.join(FIXTURES, 'sleep-forever.sh')}]}}\n`);
      used.push(ws);
      const held = path.join(ws.dir, 'held-open');
      const up = await runShell(`exec 200>'${held}'; exec $TASKWARDEN up -w '${ws.dir}'`, { cwd: ws.dir, env });
      assert.equal(up.code, 0, up.stderr);
      const agent = await ws.connect();
      const daemon = await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run');

      const agentPid = agent.handshake.pid;
      assert.deepEqual(
        [...descriptorsOf(agentPid)].filter(([, target]) => target === held),
        [],
        'the agent holds the caller’s descriptor',
      );
      assert.deepEqual([...descriptorsOf(daemon.pid!).keys()].sort(), [0, 1, 2], 'the daemon has only stdin, stdout and stderr');
      const helper = spawnHelperOf(agentPid);
      if (how === 'the spawn helper') {
        assert.ok(helper !== null, 'the agent runs a spawn helper');
        assert.ok(![...descriptorsOf(helper).values()].includes(held), 'the spawn helper holds the caller’s descriptor');
      } else assert.equal(helper, null);
    });
  }
});
