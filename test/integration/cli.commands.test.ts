/**
 * The command line PM2 and pueue users expect (issue 14): `ps NAME…`,
 * start/stop/restart with several names or `all` (every name checked first),
 * `task logs ID` as `logs task:ID`, `logs --timestamps` / `--since` from the
 * logs' time index, a marked line where a daemon restarted, the config-errors
 * line of `ps`, and shell completion (the scripts parse; `__complete` walks
 * the commands and asks the running agent for names, never starting one).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { cleanupWorkspace, FIXTURES, instanceIn, listDaemons, startedWorkspace, waitForInstance } from './support/daemons';
import { leakedProcesses } from './support/leakCheck';
import { waitFor } from './support/waitFor';
import { CLI, createWorkspace, runCli, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});
after(() => assert.deepEqual(leakedProcesses(), [], 'processes left behind'));

const sleeper = path.join(FIXTURES, 'sleep-forever.sh');
const beats = (every: string): string => `{commands: {start: [${path.join(FIXTURES, 'heartbeat.sh')}, '${every}']}}`;
const TWO = `tasks:\n  web: {commands: {start: [${sleeper}]}}\n  api: {count: 2, commands: {start: [${sleeper}]}}\n`;

async function started(config: string): Promise<Awaited<ReturnType<typeof startedWorkspace>>> {
  const started = await startedWorkspace(config);
  used.push(started.ws);
  return started;
}

/** `__complete WORD…` run in the workspace folder (the workspace the words name), as the scripts call it. */
function complete(ws: TestWorkspace, words: readonly string[]): Promise<string[]> {
  return runCli(['__complete', ...words], { cwd: ws.dir }).then((result) => {
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.split('\n').filter(Boolean);
  });
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) (.*)$/;

/** The local time a --timestamps prefix names, in ms. */
function stampOf(line: string): number {
  const match = TIMESTAMP.exec(line);
  assert.ok(match, `no timestamp on ${JSON.stringify(line)}`);
  return new Date(match[1]!.replace(' ', 'T')).getTime();
}

describe('ps NAME…', () => {
  it('lists only the daemons named, and an unknown name is an error that names it (exit 1)', async () => {
    const { ws, agent } = await started(TWO);
    await waitForInstance(agent, 'api:1', (instance) => instance.state === 'running', 'to run');

    const one = await ws.cli(['ps', 'web']);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^web +0 +\d+ +running/m);
    assert.doesNotMatch(one.stdout, /^api/m);

    const instance = await ws.cli(['ps', 'api:1', 'web']);
    assert.deepEqual(
      instance.stdout
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => line.split(/ +/).slice(0, 2).join(':')),
      ['web:0', 'api:1'],
    );

    const unknown = await ws.cli(['ps', 'web', 'nope']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stdout, '');
    assert.match(unknown.stderr, /no daemon named 'nope' \(known: web, api\)/);
  });

  it('says when the config has errors, and status counts them in words ("1 error")', async () => {
    const { ws } = await started(TWO);
    fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), `${TWO}  broken: {count: many, commands: {start: [${sleeper}]}}\n`);
    const status = await waitFor(
      async () => {
        const result = await ws.cli(['status']);
        return /\(1 error;/.test(result.stdout) ? result : null;
      },
      { what: 'the agent to see the bad config' },
    );
    assert.doesNotMatch(status.stdout, /1 errors/);
    const ps = await ws.cli(['ps']);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /^config: 1 error in taskwarden\.yaml — run taskwarden check$/m);
    assert.doesNotMatch((await ws.cli(['ps', '--json'])).stdout, /run taskwarden check/);
  });
});

describe('start, stop, restart with several names', () => {
  it('acts on every daemon named, and on all', async () => {
    const { ws, agent } = await started(TWO);
    await waitForInstance(agent, 'api:1', (instance) => instance.state === 'running', 'to run');

    const stop = await ws.cli(['stop', 'web', 'api:0']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /^web:0 stopped.*\napi:0 stopped.*\n$/);
    const list = await listDaemons(agent);
    assert.equal(instanceIn(list, 'api:1')?.state, 'running');

    const startAll = await ws.cli(['start', 'all']);
    assert.equal(startAll.code, 0, startAll.stderr);
    assert.deepEqual(
      startAll.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
      ['web:0', 'api:0', 'api:1'],
    );
    for (const id of ['web:0', 'api:0', 'api:1']) await waitForInstance(agent, id, (instance) => instance.state === 'running', 'to run');

    const before = instanceIn(await listDaemons(agent), 'web:0')!.pid;
    const restart = await ws.cli(['restart', 'all']);
    assert.equal(restart.code, 0, restart.stderr);
    const after = await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run again');
    assert.notEqual(after.pid, before);
  });

  it('checks every name before doing anything: one unknown name and nothing is done (exit 1)', async () => {
    const { ws, agent } = await started(TWO);
    const web = await waitForInstance(agent, 'web:0', (instance) => instance.state === 'running', 'to run');

    const stop = await ws.cli(['stop', 'web', 'nope', 'api:7']);
    assert.equal(stop.code, 1);
    assert.equal(stop.stdout, '');
    assert.match(stop.stderr, /no daemon named 'nope'/);
    assert.match(stop.stderr, /no instance 'api:7' \(api has api:0, api:1\)/);
    assert.match(stop.stderr, /nothing was done/);
    const now = instanceIn(await listDaemons(agent), 'web:0');
    assert.equal(now?.state, 'running');
    assert.equal(now?.pid, web.pid);

    const none = await ws.cli(['restart']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing required argument 'names'/);
  });
});

describe('logs: task logs, --timestamps, --since, restart markers', () => {
  it('task logs ID prints what logs task:ID prints, and a bad id is a usage error', async () => {
    const { ws } = await started('tasks: {}\n');
    const launched = await ws.cli(['task', 'launch', '--', path.join(FIXTURES, 'print-lines.sh'), '12']);
    assert.equal(launched.code, 0, launched.stderr);
    const id = /as task (\d+)/.exec(launched.stdout)![1]!;
    const viaLogs = await waitFor(
      async () => {
        const result = await ws.cli(['logs', `task:${id}`]);
        return result.stdout.includes('line 12\n') ? result : null;
      },
      { what: 'the task to print its lines' },
    );
    const viaTask = await ws.cli(['task', 'logs', id]);
    assert.equal(viaTask.code, 0, viaTask.stderr);
    assert.equal(viaTask.stdout, viaLogs.stdout);
    assert.equal(viaTask.stderr, viaLogs.stderr);
    assert.equal((await ws.cli(['task', 'logs', id, '-f', '-n', '2'])).stdout, 'line 11\nline 12\n');

    const bad = await ws.cli(['task', 'logs', 'seven']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid task id "seven"/);
  });

  it('--timestamps prefixes each line with when it was written, and --since leaves out what came before', async () => {
    const { ws, agent } = await started(`tasks:\n  beat: ${beats('0.2')}\n`);
    await waitForInstance(agent, 'beat:0', (instance) => instance.state === 'running', 'to run');
    await waitFor(async () => (await ws.cli(['logs', 'beat'])).stdout.includes('beat 4\n'), { what: 'four beats' });
    const cut = Date.now();
    await waitFor(async () => (await ws.cli(['logs', 'beat', '--since', '10m'])).stdout.split('\n').length > 12, {
      what: 'beats after the cut',
    });

    const stamped = (await ws.cli(['logs', 'beat', '--timestamps', '-n', '1000'])).stdout.split('\n').filter(Boolean);
    const times = stamped.map(stampOf);
    assert.ok(
      times.every((time, index) => index === 0 || time >= times[index - 1]!),
      'times only go forward',
    );
    assert.ok(Math.abs(times.at(-1)! - Date.now()) < 5_000, 'the last line is recent');
    // Beats 0.2 s apart: the index (an entry per write seen, at most a quarter second late) tells them apart.
    assert.ok(new Set(times).size >= times.length / 2, `distinct times: ${stamped.join(' / ')}`);

    const since = await ws.cli(['logs', 'beat', '--since', new Date(cut).toISOString(), '--timestamps']);
    assert.equal(since.code, 0, since.stderr);
    const lines = since.stdout.split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    assert.ok(
      lines.every((line) => stampOf(line) >= cut - 1),
      `lines before ${new Date(cut).toISOString()}: ${since.stdout}`,
    );
    assert.ok(!lines.some((line) => / beat [1-3]$/.test(line)), since.stdout);
    const all = (await ws.cli(['logs', 'beat', '--since', '1h'])).stdout;
    assert.match(all, /^beat 1\nbeat 2\n/);

    const bad = await ws.cli(['logs', 'beat', '--since', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'yesterday' is neither a duration back from now \(10m, 1h, 30s\) nor an ISO time/);
    const json = (await ws.cli(['logs', 'beat', '-n', '1', '--timestamps', '--json'])).stdout;
    assert.match(json, /^\{"instance":"beat:0","run":"beat:0","stream":"stdout","line":"beat \d+","time":"\d{4}-[^"]+Z"\}\n$/);
  });

  it('marks where a daemon restarted after a SIGKILL, in the recent lines and while following', async () => {
    const { ws, agent } = await started(`tasks:\n  beat: ${beats('0.1')}\n`);
    const first = await waitForInstance(agent, 'beat:0', (instance) => instance.pid !== null, 'to run');
    await waitFor(async () => (await ws.cli(['logs', 'beat'])).stdout.includes('beat 3\n'), { what: 'three beats' });

    const follow = spawn(process.execPath, [CLI, 'logs', 'beat', '-f', '-n', '0', '-w', ws.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let followed = '';
    follow.stdout.on('data', (chunk: Buffer) => (followed += chunk.toString()));
    const ended = new Promise((resolve) => follow.once('exit', resolve));
    try {
      await waitFor(() => followed.includes('beat '), { what: 'the follower to print a beat' });
      process.kill(first.pid!, 'SIGKILL');
      await waitForInstance(agent, 'beat:0', (instance) => instance.pid !== null && instance.pid !== first.pid, 'to run again');
      const marker = /^──── restarted \d{2}:\d{2}:\d{2} \(SIGKILL\) ────\nbeat 1\n/m;
      await waitFor(() => marker.test(followed), { what: `a marker while following (got ${JSON.stringify(followed)})` });
      const recent = await waitFor(
        async () => {
          const result = (await ws.cli(['logs', 'beat', '-n', '1000'])).stdout;
          return marker.test(result) ? result : null;
        },
        { what: 'a marker in the recent lines' },
      );
      const lines = recent.split('\n');
      const at = lines.findIndex((line) => line.startsWith('────'));
      assert.match(lines[at - 1]!, /^beat ([4-9]|\d\d+)$/, 'after the old process’s last beat');
      assert.equal(lines.filter((line) => line.startsWith('────')).length, 1);
      // The marker comes with the first stream asked for, once.
      assert.doesNotMatch((await ws.cli(['logs', 'beat', '--stderr'])).stdout, /restarted/);
    } finally {
      follow.kill('SIGINT');
      await ended;
    }
  });
});

describe('shell completion', () => {
  it('prints scripts each shell accepts, and refuses another shell (exit 2)', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const script = await runCli(['completion', shell]);
      assert.equal(script.code, 0, script.stderr);
      assert.match(script.stdout, /taskwarden __complete/);
      const checker = shell === 'fish' ? ['fish', ['--no-execute']] : [shell, ['-n']];
      const found = spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
      if (!found) continue; // zsh and fish are checked where they are installed
      const checked = spawnSync(checker[0] as string, checker[1] as string[], { input: script.stdout, encoding: 'utf8' });
      assert.equal(checked.status, 0, `${shell}: ${checked.stderr}`);
    }
    const other = await runCli(['completion', 'tcsh']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /'tcsh' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish/);
  });

  it('completes commands and flags from commander, and names from the running agent', async () => {
    const { ws, agent } = await started(`${TWO}queues:\n  build: {}\n`);
    await waitForInstance(agent, 'api:1', (instance) => instance.state === 'running', 'to run');

    assert.deepEqual(await complete(ws, ['st']), ['status', 'stats', 'start', 'stop']);
    assert.ok(!(await complete(ws, [''])).includes('__complete'), 'the hidden command stays hidden');
    assert.deepEqual(await complete(ws, ['logs', 'web', '--s']), ['--stdout', '--stderr', '--since']);
    assert.deepEqual(await complete(ws, ['stop', '']), ['all', 'web', 'api', 'api:0', 'api:1']);
    assert.deepEqual(await complete(ws, ['ps', 'web', 'a']), ['api', 'api:0', 'api:1']);
    assert.deepEqual(await complete(ws, ['queue', 'push', '']), ['build']);
    assert.deepEqual(await complete(ws, ['completion', '']), ['bash', 'zsh', 'fish']);
    assert.deepEqual(await complete(ws, ['-f', '']), [], 'a file: the shell completes it');

    const launched = await ws.cli(['task', 'launch', '--', sleeper]);
    const id = /as task (\d+)/.exec(launched.stdout)![1]!;
    assert.ok((await complete(ws, ['task', 'kill', ''])).includes(id));
    assert.ok((await complete(ws, ['logs', 'task:'])).includes(`task:${id}`));
    assert.equal((await ws.cli(['task', 'kill', id])).code, 0);
  });

  it('offers no names and starts no agent when none runs', async () => {
    const ws = createWorkspace(TWO);
    used.push(ws);
    assert.deepEqual(await complete(ws, ['stop', '']), []);
    assert.deepEqual(await complete(ws, ['task', 'l']), ['launch', 'list', 'logs']);
    assert.equal(await ws.agentPid(), null);
  });
});
