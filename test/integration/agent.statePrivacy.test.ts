/**
 * Output and history can hold secrets: `.taskwarden/` is 0700 and every file
 * in it 0600 however the agent was started (here by `up` under umask 022,
 * which used to leave 0755 and 0644), while the processes it starts keep the
 * umask of whoever started the agent.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { cleanupWorkspace, FIXTURES, waitForInstance } from './support/daemons';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { createWorkspace, runShell, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

/** Every entry under `root` (itself included) whose mode is not 0700 (folders) or 0600 (files), as "mode path". */
function notPrivate(root: string): string[] {
  const wrong: string[] = [];
  const visit = (entry: string): void => {
    const stat = fs.lstatSync(entry);
    const mode = stat.mode & 0o7777;
    if (stat.isDirectory()) {
      if (mode !== 0o700) wrong.push(`${mode.toString(8)} ${entry}`);
      for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
    } else if (mode !== 0o600) wrong.push(`${mode.toString(8)} ${entry}`);
  };
  visit(root);
  return wrong;
}

const CONFIG = `tasks:
  chatty:
    commands: {start: [sh, -c, 'umask > umask.txt; ${path.join(FIXTURES, 'print-lines.sh')} 2000; exec sleep 100000']}
    logs: {max_bytes: 1024, keep: 2}
`;

describe('the state folder', () => {
  for (const [how, env] of [
    ['the spawn helper', {}],
    ["Node's spawn", { TASKWARDEN_SPAWNER: 'off' }],
  ] as const) {
    it(`is private after up under umask 022, and a daemon started through ${how} keeps umask 022`, async () => {
      const ws = createWorkspace(CONFIG);
      used.push(ws);
      const up = await runShell(`umask 022; exec $TASKWARDEN up -w '${ws.dir}'`, { cwd: ws.dir, env });
      assert.equal(up.code, 0, up.stderr);
      const agent = await ws.connect();
      await waitForInstance(agent, 'chatty:0', (instance) => instance.state === 'running', 'to run');
      const launched = await runShell(`umask 022; exec $TASKWARDEN task launch -w '${ws.dir}' -- echo hello`, { cwd: ws.dir });
      assert.equal(launched.code, 0, launched.stderr);
      const daemonLogs = path.join(ws.dir, '.taskwarden', 'logs', 'daemons');
      // The output and error files (with their time indexes), and at least one rotated file beside them. Rotation looks at a file
      // that stopped growing within 10 s (README, "Daemon output and its rotation").
      await waitFor(() => fs.readdirSync(daemonLogs).some((name) => /\.\d+$/.test(name)), {
        what: 'a rotated log file',
        timeoutMs: 30_000,
      });
      await waitFor(() => fs.existsSync(path.join(ws.dir, 'umask.txt')) && fs.readFileSync(path.join(ws.dir, 'umask.txt'), 'utf8'), {
        what: 'the daemon to write its umask',
      });

      assert.deepEqual(notPrivate(path.join(ws.dir, '.taskwarden')), []);
      assert.equal(fs.readFileSync(path.join(ws.dir, 'umask.txt'), 'utf8').trim(), '0022');
      assert.equal(fs.statSync(path.join(ws.dir, 'umask.txt')).mode & 0o777, 0o644, 'the daemon’s own file has the usual mode');
    });
  }

  it('is made private when an agent starts, whatever modes an earlier one left', async () => {
    const ws = createWorkspace();
    used.push(ws);
    const root = path.join(ws.dir, '.taskwarden');
    fs.mkdirSync(path.join(root, 'logs', 'daemons'), { recursive: true, mode: 0o755 });
    fs.chmodSync(root, 0o755);
    fs.writeFileSync(path.join(root, 'logs', 'daemons', 'old.0.out'), 'secret\n', { mode: 0o644 });
    fs.writeFileSync(path.join(root, 'logs', 'agent.log.1'), 'old log\n', { mode: 0o666 });
    const up = await runShell(`umask 000; exec $TASKWARDEN up -w '${ws.dir}'`, { cwd: ws.dir });
    assert.equal(up.code, 0, up.stderr);

    assert.deepEqual(notPrivate(root), []);
  });
});
