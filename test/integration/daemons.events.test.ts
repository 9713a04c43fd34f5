/**
 * Daemon events on real files and processes: file_change (in place and by
 * rename-replace), self, python imports, signal and command actions (a
 * command carrying the workspace marker), event
 * tasks, and the roles file switching scope live.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { cleanupWorkspace, FIXTURES, fileLines, instanceIn, listDaemons, startedWorkspace, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
async function start(config: string, files: Record<string, string> = {}): ReturnType<typeof startedWorkspace> {
  const started = await startedWorkspace(config, files);
  used.push(started.ws);
  return started;
}
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

/** Replaces a file the way editors and installers do: write a temporary file, rename it over. */
function replaceByRename(file: string, text: string, mode?: number): void {
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, text, mode === undefined ? {} : { mode });
  fs.renameSync(temporary, file);
}

const sleepForever = path.join(FIXTURES, 'sleep-forever.sh');

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('daemon events', () => {
  it('restarts a daemon when a watched file changes in place or is replaced by rename', async () => {
    const { ws, agent } = await start(
      `
tasks:
  watched:
    defines: {conf: conf.txt}
    commands: {start: [${sleepForever}]}
    events: [{type: file_change, path: "{conf}", command: stop}]
`,
      { 'conf.txt': 'one\n' },
    );
    const first = await waitForInstance(agent, 'watched:0', (instance) => instance.state === 'running', 'to run');
    fs.appendFileSync(path.join(ws.dir, 'conf.txt'), 'two\n');
    const second = await waitForInstance(
      agent,
      'watched:0',
      (instance) => instance.state === 'running' && instance.pid !== first.pid,
      'to restart after an edit',
    );
    replaceByRename(path.join(ws.dir, 'conf.txt'), 'three\n');
    const third = await waitForInstance(
      agent,
      'watched:0',
      (instance) => instance.state === 'running' && instance.pid !== second.pid,
      'to restart after a rename-replace',
    );
    assert.equal(third.crashLoop, false);
    assert.match(third.lastExit?.reason ?? '', /file_change: .*conf\.txt changed/);
  });

  it('restarts a daemon when its own program is replaced (self event)', async () => {
    const script = '#!/bin/sh\necho "version $1"\nexec sleep 100000\n';
    const { ws, agent } = await start(
      `
tasks:
  selfish:
    commands: {start: [./prog.sh, one]}
    events: [{type: self, command: stop}]
`,
      { 'prog.sh': script },
    );
    const first = await waitForInstance(agent, 'selfish:0', (instance) => instance.state === 'running', 'to run');
    replaceByRename(path.join(ws.dir, 'prog.sh'), script.replace('version', 'release'), 0o755);
    await waitForInstance(
      agent,
      'selfish:0',
      (instance) => instance.state === 'running' && instance.pid !== first.pid,
      'to restart after its program changed',
    );
  });

  it('restarts a Python daemon when a module it imports changes', { skip: !hasPython() && 'python3 is not installed' }, async () => {
    const { ws, agent } = await start(
      `
tasks:
  py:
    commands: {start: [python3, app.py]}
    events: [{type: python, command: stop}]
`,
      { 'app.py': 'import time\nimport helper\nwhile True:\n    time.sleep(1)\n', 'helper.py': 'VALUE = 1\n' },
    );
    const first = await waitForInstance(agent, 'py:0', (instance) => instance.state === 'running', 'to run');
    fs.writeFileSync(path.join(ws.dir, 'helper.py'), 'VALUE = 2\n');
    await waitForInstance(
      agent,
      'py:0',
      (instance) => instance.state === 'running' && instance.pid !== first.pid,
      'to restart after helper.py changed',
    );
  });

  it('sends a signal or runs a command on a file change without restarting the daemon', async () => {
    const { ws, agent } = await start(
      `
tasks:
  hup:
    commands:
      start: [sh, -c, 'trap "echo got-hup" HUP; echo started; while :; do sleep 0.05; done']
      reconfig: [sh, -c, 'echo "reconfigured by $TASKWARDEN_COMMAND in $TASKWARDEN_WORKSPACE" >> reconfig.txt']
    events:
      - {type: file_change, path: signal.txt, signal: HUP}
      - {type: file_change, path: command.txt, command: reconfig}
    ready: {log: started}
`,
    );
    const running = await waitForInstance(agent, 'hup:0', (instance) => instance.state === 'running', 'to be ready');
    fs.writeFileSync(path.join(ws.dir, 'signal.txt'), 'x');
    await waitFor(() => fs.readFileSync(path.join(ws.dir, '.taskwarden/logs/daemons/hup.0.out'), 'utf8').includes('got-hup'), {
      what: 'the daemon to get SIGHUP',
    });
    fs.writeFileSync(path.join(ws.dir, 'command.txt'), 'x');
    // The command carries the workspace marker (so `down` with no agent finds it), not the daemon's.
    const expected = [ws.dir, fs.realpathSync(ws.dir)].map((folder) => `reconfigured by reconfig in ${folder}`);
    await waitFor(() => fileLines(path.join(ws.dir, 'reconfig.txt')).some((line) => expected.includes(line)), {
      what: 'the reconfig command to run with the workspace marker',
    });
    assert.equal(instanceIn(await listDaemons(agent), 'hup:0')?.pid, running.pid);
  });

  it('runs an event task only when its event fires', async () => {
    const { ws, agent } = await start(`
tasks:
  refresh:
    control: event
    commands: {start: [sh, -c, 'echo refreshed >> runs.txt']}
    events: [{type: file_change, path: rules.txt, command: start}]
`);
    const idle = await waitForInstance(agent, 'refresh:0', (instance) => instance.state === 'stopped', 'to wait for its event');
    assert.equal(idle.pid, null);
    fs.writeFileSync(path.join(ws.dir, 'rules.txt'), 'allow all\n');
    await waitForInstance(agent, 'refresh:0', (instance) => instance.state === 'exited', 'to have run');
    assert.deepEqual(fileLines(path.join(ws.dir, 'runs.txt')), ['refreshed']);
  });

  it('starts and stops tasks live when the roles file is replaced by rename', async () => {
    const { ws, agent } = await start(
      `
settings: {roles_file: roles.txt}
tasks:
  front: {roles: [frontend], commands: {start: [${sleepForever}]}}
  back: {roles: [backend], commands: {start: [${sleepForever}]}}
  common: {commands: {start: [${sleepForever}]}}
`,
      { 'roles.txt': '# this host\nfrontend\n' },
    );
    const front = await waitForInstance(agent, 'front:0', (instance) => instance.state === 'running', 'to run');
    const common = await waitForInstance(agent, 'common:0', (instance) => instance.state === 'running', 'to run');
    const before = await listDaemons(agent);
    assert.equal(instanceIn(before, 'back:0'), undefined);
    assert.deepEqual(before.skipped, [{ name: 'back', reason: 'out_of_scope', configLine: 5 }]);
    assert.deepEqual(before.roles, ['frontend']);

    replaceByRename(path.join(ws.dir, 'roles.txt'), 'backend\n');
    await waitForInstance(agent, 'back:0', (instance) => instance.state === 'running', 'to start with the backend role');
    const after = await waitFor(
      async () => {
        const list = await listDaemons(agent);
        return instanceIn(list, 'front:0') === undefined ? list : null;
      },
      { what: 'front to leave scope' },
    );
    assert.equal(instanceIn(after, 'common:0')?.pid, common.pid);
    await waitFor(() => !fs.existsSync(`/proc/${front.pid}`), { what: 'the front process to end' });
  });
});
