/**
 * Queues on real processes through the real CLI and agent: strict FIFO, concurrency,
 * the seed's scenarios (bad commands, exit 255, stderr warning, wait --start, kill of
 * a tree, remove), wait-empty, pause/resume, an agent SIGKILL mid-queue, and 10,000
 * queued items across a restart.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { processIsAlive } from '../../agent/proc/processIdentity';
import { waitFor } from './support/waitFor';
import type { CliResult, TestWorkspace } from './support/workspace';
import { Workspaces } from './tasks.helpers';
import { FIXTURES } from './support/workspace';
import { queueCli as cli, queueOk as ok } from './queues.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

const CONFIG = 'queues:\n  q: {env: {GREETING: hello}}\n  pair: {concurrency: 2}\n';

interface Record {
  id: string;
  state: number;
  pid: number | null;
  exit: number | null;
  stderr: number;
  error: string | null;
  warnings: string[];
  killed: boolean;
  'time-start': number | null;
  'time-end': number | null;
  stdoutFile: string | null;
}

/** `taskwarden -w DIR ARGS…`: the workspace first, so that nothing lands after a `--` command. */
async function show(ws: TestWorkspace, id: string): Promise<Record> {
  return JSON.parse(await ok(ws, ['queue', 'show', id, '--json'])) as Record;
}

function stampScript(file: string, seconds: string): string[] {
  return ['sh', '-c', `echo "start $(date +%s%N)" >> ${file}; sleep ${seconds}; echo "end $(date +%s%N)" >> ${file}`];
}

/** Reads start/end stamp lines and returns the most items that ran at once. */
function maxOverlap(file: string): number {
  let running = 0;
  let most = 0;
  const events = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ') as [string, string])
    .sort((a, b) => (BigInt(a[1]) < BigInt(b[1]) ? -1 : 1));
  for (const [kind] of events) {
    running += kind === 'start' ? 1 : -1;
    most = Math.max(most, running);
  }
  return most;
}

describe('queues', () => {
  it('runs items strictly one at a time in push order (a batch and single pushes)', async () => {
    const ws = workspaces.create(CONFIG);
    const stamps = path.join(ws.dir, 'stamps');
    const order = path.join(ws.dir, 'order');
    const lines = [1, 2, 3, 4].map((n) =>
      JSON.stringify({
        id: `s${n}`,
        cmd: [...stampScript(stamps, '0.05').slice(0, 2), `${stampScript(stamps, '0.05')[2]!}; echo ${n} >> ${order}`],
      }),
    );
    assert.equal(await ok(ws, ['queue', 'push', 'q', '--stdin'], `${lines.join('\n')}\n`), 's1\ns2\ns3\ns4\n');
    await ok(ws, ['queue', 'push', 'q', '--id', 's5', '--', 'sh', '-c', `echo 5 >> ${order}`]);
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.equal(fs.readFileSync(order, 'utf8'), '1\n2\n3\n4\n5\n');
    assert.equal(maxOverlap(stamps), 1);
    const records = await Promise.all(['s1', 's2', 's3', 's4', 's5'].map((id) => show(ws, id)));
    for (let index = 1; index < records.length; index++)
      assert.ok(records[index]!['time-start']! >= records[index - 1]!['time-end']!, 'no overlap in the records either');
    assert.ok(records.every((record) => record.state === 2 && record.exit === 0));
  });

  it('runs two at a time with concurrency: 2', async () => {
    const ws = workspaces.create(CONFIG);
    const stamps = path.join(ws.dir, 'stamps');
    const lines = [1, 2, 3, 4].map(() => JSON.stringify(stampScript(stamps, '0.4')));
    await ok(ws, ['queue', 'push', 'pair', '--stdin'], lines.join('\n'));
    await ok(ws, ['queue', 'wait-empty', 'pair']);
    assert.equal(maxOverlap(stamps), 2);
  });

  it('records the seed cases: expansion, a missing program, exit 255, stderr lines, bad variables, and an unknown queue', async () => {
    const ws = workspaces.create(CONFIG);
    await ok(ws, ['queue', 'push', 'q', '--id', 'hello', '--', 'sh', '-c', 'echo "$1 $_ID_"', 'x', '{GREETING}']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'nope', '--', 'no-such-program-xyz']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'e255', '--', 'sh', '-c', 'exit 255']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'warn', '--', 'sh', '-c', 'echo a >&2; echo b >&2']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'badvar', '--', 'echo', '{UNKNOWN}']);
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.equal(await ok(ws, ['logs', 'queue:hello']), 'hello hello\n');
    const nope = await show(ws, 'nope');
    assert.equal(nope.state, -1);
    assert.match(nope.error ?? '', /no-such-program-xyz/);
    const e255 = await show(ws, 'e255');
    assert.deepEqual([e255.state, e255.exit, e255.error], [-1, 255, 'Invalid exit code 255']);
    const warn = await show(ws, 'warn');
    assert.deepEqual([warn.state, warn.stderr, warn.warnings], [2, 2, ['stderr stream has 2 lines.']]);
    const badvar = await show(ws, 'badvar');
    assert.deepEqual([badvar.state, badvar.error], [-1, 'Invalid command: unknown variable UNKNOWN in {UNKNOWN}']);
    const wait = await cli(ws, ['queue', 'wait', 'e255']);
    assert.equal(wait.code, 1);
    const unknown = await cli(ws, ['queue', 'push', 'other', '--', 'true']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no queue 'other' in the config \(the queues are: q, pair/);
  });

  it('refuses a duplicate id while it is queued or running, and a bad --stdin line pushes nothing', async () => {
    const ws = workspaces.create(CONFIG);
    await ok(ws, ['queue', 'push', 'q', '--id', 'long', '--', 'sleep', '30']);
    const dup = await cli(ws, ['queue', 'push', 'q', '--id', 'long', '--', 'true']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /an item 'long' is already queued or running/);
    const bad = await cli(ws, ['queue', 'push', 'q', '--stdin'], '["true"]\n["true"]\n[]\n');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /stdin line 3: the command is empty/);
    // An item the agent refuses is named by its line too (blank lines count).
    const taken = await cli(ws, ['queue', 'push', 'q', '--stdin'], '["true"]\n\n{"id":"long","cmd":["true"]}\n');
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /stdin line 3: an item 'long' is already queued or running/);
    const list = JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as Record[];
    assert.deepEqual(
      list.map((item) => item.id),
      ['long'],
    );
    await ok(ws, ['queue', 'kill', 'long']);
  });

  it('gives an id pushed again after it ended output files of its own: its stderr count, warning and logs are its own run only', async () => {
    const ws = workspaces.create(CONFIG);
    await ok(ws, ['queue', 'push', 'q', '--id', 'again', '--', 'sh', '-c', 'echo first-out; echo first-err >&2']);
    assert.equal((await cli(ws, ['queue', 'wait', 'again'])).code, 0);
    const first = await show(ws, 'again');
    assert.deepEqual([first.stderr, first.warnings], [1, ['stderr stream has 1 lines.']]);

    await ok(ws, ['queue', 'push', 'q', '--id', 'again', '--', 'echo', 'second-out']);
    assert.equal((await cli(ws, ['queue', 'wait', 'again'])).code, 0);
    const second = await show(ws, 'again');
    assert.deepEqual([second.state, second.stderr, second.warnings], [2, 0, []]);
    assert.equal(await ok(ws, ['logs', 'queue:again']), 'second-out\n');
    assert.notEqual(second.stdoutFile, first.stdoutFile);
    assert.equal(fs.readFileSync(first.stdoutFile!, 'utf8'), 'first-out\n', "the first run's output stays with its history row");

    // So does a retry under the same id.
    await ok(ws, ['queue', 'retry', 'again', '--id', 'again']);
    assert.equal((await cli(ws, ['queue', 'wait', 'again'])).code, 0);
    assert.equal(await ok(ws, ['logs', 'queue:again']), 'second-out\n');
    const third = await show(ws, 'again');
    assert.ok(![first.stdoutFile, second.stdoutFile].includes(third.stdoutFile));
  });

  it('starts an item that runs --after an item of another queue once that one ended well', async () => {
    const ws = workspaces.create(CONFIG);
    await ok(ws, ['queue', 'push', 'q', '--id', 'build', '--', 'sleep', '0.3']);
    await ok(ws, ['queue', 'push', 'pair', '--id', 'ship', '--after', 'build', '--', 'true']);
    const waited = await cli(ws, ['queue', 'wait', 'ship']);
    assert.equal(waited.code, 0, waited.stdout + waited.stderr);
    const [build, ship] = [await show(ws, 'build'), await show(ws, 'ship')];
    assert.ok(ship['time-start']! >= build['time-end']!);
  });

  it('follows a queued item with logs -f: its lines once it runs, then ends with it', async () => {
    const ws = workspaces.create(CONFIG);
    const gate = path.join(ws.dir, 'gate');
    await ok(ws, ['queue', 'push', 'q', '--id', 'first', '--', 'sh', '-c', `while [ ! -e ${gate} ]; do sleep 0.05; done`]);
    await ok(ws, ['queue', 'push', 'q', '--id', 'later', '--', 'sh', '-c', 'echo one; echo two >&2']);
    const following = cli(ws, ['logs', 'queue:later', '-f']);
    // The follow is open (a second client beside `status`) while the item is still queued behind the gate.
    await waitFor(async () => (JSON.parse(await ok(ws, ['status', '--json'])) as { clients: number }).clients === 2, {
      what: 'logs -f connected',
    });
    assert.equal((await show(ws, 'later')).state, 0, 'later is still queued');
    fs.writeFileSync(gate, '');
    const followed = await following;
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'one\n');
    assert.match(followed.stderr, /two/);
  });

  it('wait --start prints the pid; kill stops the whole tree (a grandchild ignoring SIGTERM) and records killed, exit -9', async () => {
    const ws = workspaces.create(CONFIG);
    const pidFile = path.join(ws.dir, 'grandchild.pid');
    await ok(ws, ['queue', 'push', 'q', '--id', 'tree', '--', path.join(FIXTURES, 'fork-grandchild.sh'), pidFile]);
    await ok(ws, ['queue', 'push', 'q', '--id', 'next', '--', 'true']);
    const pid = Number((await ok(ws, ['queue', 'wait', 'tree', '--start'])).trim());
    assert.ok(pid > 0);
    const grandchild = await waitFor(() => (fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : null), {
      what: 'the grandchild',
    });
    const refused = await cli(ws, ['queue', 'remove', 'tree']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is running: use 'taskwarden queue kill tree'/);
    await ok(ws, ['queue', 'kill', 'tree']);
    await waitFor(() => !processIsAlive(grandchild) && !processIsAlive(pid), { what: 'the tree to be gone' });
    const tree = await show(ws, 'tree');
    assert.deepEqual([tree.state, tree.killed, tree.exit], [-1, true, -9]);
    await ok(ws, ['queue', 'wait', 'next']);
  });

  it('removes a queued item, and wait-empty ends though items are pushed and removed while it waits', async () => {
    const ws = workspaces.create(CONFIG);
    const gate = path.join(ws.dir, 'gate');
    await ok(ws, ['queue', 'push', 'q', '--id', 'gate', '--', 'sh', '-c', `while [ ! -f ${gate} ]; do sleep 0.05; done`]);
    await ok(ws, ['queue', 'push', 'q', '--id', 'gone', '--', 'touch', 'should-not-exist']);
    const waiting = cli(ws, ['queue', 'wait-empty', 'q']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'late', '--', 'touch', 'late-ran']);
    await ok(ws, ['queue', 'remove', 'gone']);
    let settled = false;
    void waiting.then(() => (settled = true));
    assert.equal(settled, false);
    fs.writeFileSync(gate, '');
    const done: CliResult = await waiting;
    assert.equal(done.code, 0, done.stderr);
    assert.ok(fs.existsSync(path.join(ws.dir, 'late-ran')), 'an item pushed while waiting ran before wait-empty returned');
    assert.ok(!fs.existsSync(path.join(ws.dir, 'should-not-exist')));
    assert.equal((await cli(ws, ['queue', 'show', 'gone'])).code, 1, 'a removed item leaves no record');
  });

  it('pause lets the running item finish and starts nothing new until resume', async () => {
    const ws = workspaces.create(CONFIG);
    await ok(ws, ['queue', 'push', 'q', '--id', 'first', '--', 'sleep', '0.3']);
    await ok(ws, ['queue', 'wait', 'first', '--start']);
    await ok(ws, ['queue', 'pause', 'q']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'second', '--', 'true']);
    await ok(ws, ['queue', 'wait', 'first']);
    assert.equal((await show(ws, 'second')).state, 0, 'still queued while paused');
    await ok(ws, ['queue', 'resume', 'q']);
    await ok(ws, ['queue', 'wait', 'second']);
  });

  it('loses nothing and runs nothing twice across an agent SIGKILL with 1 running and 3 queued', async () => {
    const ws = workspaces.create(CONFIG);
    const runs = path.join(ws.dir, 'runs');
    const gate = path.join(ws.dir, 'gate');
    await ok(ws, [
      'queue',
      'push',
      'q',
      '--id',
      'r',
      '--',
      'sh',
      '-c',
      `echo r >> ${runs}; while [ ! -f ${gate} ]; do echo tick; sleep 0.05; done; echo after-gate`,
    ]);
    for (const id of ['a', 'b', 'c']) await ok(ws, ['queue', 'push', 'q', '--id', id, '--', 'sh', '-c', `echo ${id} >> ${runs}`]);
    const pid = Number((await ok(ws, ['queue', 'wait', 'r', '--start'])).trim());
    const agent = await ws.agentPid();
    assert.ok(agent !== null);
    process.kill(agent, 'SIGKILL');
    await waitFor(() => !processIsAlive(agent), { what: 'the agent to die' });
    assert.ok(processIsAlive(pid), 'the running item outlives its agent');
    const list = JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as Record[];
    assert.deepEqual(
      list.map((item) => [item.id, item.state, item.pid]),
      [
        ['r', 1, pid],
        ['a', 0, null],
        ['b', 0, null],
        ['c', 0, null],
      ],
    );
    fs.writeFileSync(gate, '');
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.equal(fs.readFileSync(runs, 'utf8'), 'r\na\nb\nc\n');
    assert.match(await ok(ws, ['logs', 'queue:r', '-n', '2']), /after-gate/);
    const history = JSON.parse(await ok(ws, ['queue', 'history', 'q', '--json'])) as Record[];
    assert.deepEqual(
      history.map((item) => item.id),
      ['c', 'b', 'a', 'r'],
    );
  });

  it('keeps 10,000 queued items in order across a restart', { timeout: 120_000 }, async () => {
    const ws = workspaces.create(CONFIG);
    await ok(ws, ['queue', 'pause', 'q']);
    const lines = Array.from({ length: 10_000 }, (_, index) => JSON.stringify({ id: `n${index}`, cmd: ['true'] }));
    await ok(ws, ['queue', 'push', 'q', '--stdin'], lines.join('\n'));
    const agent = await ws.agentPid();
    process.kill(agent!, 'SIGKILL');
    await waitFor(() => !processIsAlive(agent!), { what: 'the agent to die' });
    const list = JSON.parse(await ok(ws, ['queue', 'list', 'q', '--json'])) as Record[];
    assert.equal(list.length, 10_000);
    assert.ok(list.every((item, index) => item.id === `n${index}` && item.state === 0));
    await ok(ws, ['queue', 'clear', 'q']);
  });
});
