/**
 * Launching commands as tasks from the CLI: runs without feedback, exits and
 * their history rows, commands that cannot start (nothing left behind), the
 * environment a child gets, the timeout of a task without feedback, kill and
 * killall, and the rotation of a task's output.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { LaunchTaskRequest, type LaunchTaskResult, type TaskHistoryResult } from '../../agent/tasks/protocol';
import { waitFor } from './support/waitFor';
import { alive, fixture, liveTasks, task, taskJson, waitForHistory, watchTasks, Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

describe('task launch', () => {
  it('runs a command without feedback, captures its output and records its exit with name and info fields', async () => {
    const ws = workspaces.create();
    const launched = await task(ws, [
      'launch',
      '--name',
      'lines',
      '--info1',
      'one',
      '--info2',
      'two words',
      '--info3',
      '[3]',
      '--',
      fixture('print-lines.sh'),
      '20',
    ]);
    assert.equal(launched.code, 0, launched.stderr);
    const match = /^launched pid (\d+) as task (\d+)\n$/.exec(launched.stdout);
    assert.ok(match, launched.stdout);
    const id = Number(match[2]);
    const { agent } = await watchTasks(ws);
    const entry = await waitForHistory(agent, id);
    assert.deepEqual(
      { ...entry, start: 0, end: 0, durationMs: 0 },
      {
        id,
        name: 'lines',
        info1: 'one',
        info2: 'two words',
        info3: '[3]',
        argv: [fixture('print-lines.sh'), '20'],
        pid: Number(match[1]),
        outcome: 'exited',
        exitCode: 0,
        signal: null,
        error: null,
        start: 0,
        end: 0,
        durationMs: 0,
        feedback: null,
        stdoutFile: path.join(ws.dir, '.taskwarden', 'logs', 'tasks', `${id}.out`),
        stderrFile: path.join(ws.dir, '.taskwarden', 'logs', 'tasks', `${id}.err`),
      },
    );
    assert.ok(entry.start <= entry.end && entry.durationMs === entry.end - entry.start);
    assert.equal(fs.readFileSync(entry.stdoutFile!, 'utf8').split('\n')[19], 'line 20');
    assert.equal(fs.readFileSync(entry.stderrFile!, 'utf8'), 'err 10\nerr 20\n');

    const history = await task(ws, ['history']);
    assert.match(history.stdout, /^ID\s+NAME\s+INFO1\s+INFO2\s+INFO3\s+EXIT\s+ERROR\s+START\s+END\s+DURATION\s+FEEDBACK\n/);
    assert.match(history.stdout, new RegExp(`\\n${id}\\s+lines\\s+one\\s+two words\\s+\\[3\\]\\s+0\\s+-\\s`));
  });

  it('records a failing exit code and a terminating signal with an error text', async () => {
    const ws = workspaces.create();
    const { agent } = await watchTasks(ws);
    const failing = await agent.connection.sendRequest(LaunchTaskRequest.type, { argv: [fixture('exit-with.sh'), '3'], cwd: ws.dir });
    const signaled = await agent.connection.sendRequest(LaunchTaskRequest.type, { argv: ['sh', '-c', 'kill -SEGV $$'], cwd: ws.dir });
    const failed = await waitForHistory(agent, failing.id);
    assert.deepEqual([failed.outcome, failed.exitCode, failed.signal, failed.error], ['exited', 3, null, 'exited with code 3']);
    const crashed = await waitForHistory(agent, signaled.id);
    assert.deepEqual(
      [crashed.outcome, crashed.exitCode, crashed.signal, crashed.error],
      ['signaled', null, 'SIGSEGV', 'terminated by SIGSEGV'],
    );
    const name = await taskJson<TaskHistoryResult>(ws, ['history', '--name', 'exit-with.sh']);
    assert.deepEqual(
      name.entries.map((entry) => entry.id),
      [failing.id],
    );
    const limited = await taskJson<TaskHistoryResult>(ws, ['history', '--limit', '1']);
    assert.equal(limited.total, 2);
    assert.equal(limited.entries.length, 1);

    const cleared = await task(ws, ['clear']);
    assert.equal(cleared.stdout, 'removed 2 history rows\n');
    assert.equal((await taskJson<TaskHistoryResult>(ws, ['history'])).total, 0);
    assert.ok(!fs.existsSync(failed.stdoutFile!), "the finished tasks' output files go with their rows");
  });

  it('applies watcher.default_timeout to a task launched without --timeout', async () => {
    const ws = workspaces.create('watcher:\n  default_timeout: 1\n  reservation_ttl: 60\n');
    const { agent } = await watchTasks(ws);
    const launched = await agent.connection.sendRequest(LaunchTaskRequest.type, { argv: [fixture('sleep-forever.sh')], cwd: ws.dir });
    const entry = await waitForHistory(agent, launched.id);
    assert.deepEqual([entry.outcome, entry.error], ['timeout', 'timeout']);
  });

  it('fails clearly on a command that does not exist and leaves nothing behind', async () => {
    const ws = workspaces.create();
    const missing = await task(ws, ['launch', '--', 'no-such-command-tw', '--flag']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'taskwarden: command not found: no-such-command-tw\n');
    assert.equal(missing.stdout, '');

    const id = Number((await task(ws, ['reserve', '--name', 'ghost'])).stdout);
    const reservedMissing = await task(ws, ['launch', '--taskid', String(id), '--', path.join(ws.dir, 'nothing-here.sh')]);
    assert.equal(reservedMissing.code, 1);
    assert.match(reservedMissing.stderr, /command not found: .*nothing-here\.sh/);

    const notExecutable = path.join(ws.dir, 'plain.txt');
    fs.writeFileSync(notExecutable, 'echo hi\n');
    const denied = await task(ws, ['launch', '--', notExecutable]);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /not permitted to run .*plain\.txt/);

    const other = Number((await task(ws, ['reserve'])).stdout);
    const notAFolder = await task(ws, ['launch', '--taskid', String(other), '--feedpath', notExecutable, '--', fixture('exit-with.sh')]);
    assert.equal(notAFolder.code, 1);
    assert.match(notAFolder.stderr, /the feedback folder does not exist or is not a folder: .*plain\.txt/);

    const { agent } = await watchTasks(ws);
    assert.deepEqual(await liveTasks(agent), [], 'the reservation of a failed launch is released');
    assert.equal((await taskJson<TaskHistoryResult>(ws, ['history'])).total, 0);
    assert.deepEqual(fs.readdirSync(path.join(ws.dir, '.taskwarden', 'logs', 'tasks')), []);
  });

  it('refuses a feedback folder that is not a folder, and a feedback folder without a reserved id', async () => {
    const ws = workspaces.create();
    const id = Number((await task(ws, ['reserve'])).stdout);
    const missingFolder = await task(ws, ['launch', '--taskid', String(id), '--feedpath', 'no-such-folder', '--', fixture('exit-with.sh')]);
    assert.equal(missingFolder.code, 1);
    assert.match(missingFolder.stderr, new RegExp(`the feedback folder does not exist or is not a folder: ${ws.dir}/no-such-folder`));
    const unreserved = await task(ws, ['launch', '--feedpath', '.', '--', fixture('exit-with.sh')]);
    assert.equal(unreserved.code, 1);
    assert.match(unreserved.stderr, /needs a reserved id/);
    const usage = await task(ws, ['launch', '--timeout', 'soon', '--', fixture('exit-with.sh')]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /invalid --timeout "soon"/);
  });

  it('tells the child its id and feedback file through the environment and {feedback}', async () => {
    const ws = workspaces.create();
    const id = Number((await task(ws, ['reserve'])).stdout);
    const launched = await task(ws, [
      'launch',
      '--taskid',
      String(id),
      '--feedpath',
      '.',
      '--keep-feedback',
      '--',
      fixture('feedback-env.sh'),
      '{feedback}',
    ]);
    assert.equal(launched.code, 0, launched.stderr);
    const { agent } = await watchTasks(ws);
    const entry = await waitForHistory(agent, id);
    const file = path.join(ws.dir, `feedback_${id}.log`);
    assert.deepEqual(entry.feedback, { task_id: String(id), env_file: file, arg_file: file });
    assert.ok(fs.existsSync(file), '--keep-feedback keeps the file');
  });

  it('kills a task without feedback at its timeout, counting its whole run time', async () => {
    const ws = workspaces.create();
    const { agent, deltas } = await watchTasks(ws);
    const launched = await taskJson<LaunchTaskResult>(ws, ['launch', '--timeout', '1', '--', fixture('sleep-forever.sh')]);
    const entry = await waitForHistory(agent, launched.id);
    assert.equal(entry.outcome, 'timeout');
    assert.equal(entry.error, 'timeout');
    assert.equal(entry.signal, 'SIGTERM');
    assert.ok(entry.durationMs >= 1000, `ran ${entry.durationMs} ms`);
    assert.ok(!alive(launched.pid));
    assert.deepEqual(
      deltas.filter((delta) => delta.kind === 'upsert').map((delta) => delta.kind === 'upsert' && delta.task.state),
      ['RUNNING'],
      'without feedback a task is never SILENT or STALLED',
    );
  });

  it("rotates a task's output per watcher.logs while it writes, without a broken or lost line", async () => {
    const ws = workspaces.create('tasks: {}\nwatcher:\n  reservation_ttl: 60\n  logs: { max_bytes: 4096, keep: 500 }\n');
    const { agent } = await watchTasks(ws);
    const lines = 20_000;
    // Bursts of 500 lines for about 14 s: past the rotator's first 10 s look at a new file, so rotations happen while the task writes.
    const script = `i=1; while [ $i -le ${lines} ]; do echo "line $i of the task"; [ $((i % 500)) -eq 0 ] && sleep 0.35; i=$((i+1)); done`;
    const launched = await taskJson<LaunchTaskResult>(ws, ['launch', '--', 'sh', '-c', script]);
    const entry = await waitForHistory(agent, launched.id, 60_000);
    assert.equal(entry.outcome, 'exited');
    const file = entry.stdoutFile!;
    assert.ok(fs.existsSync(`${file}.1`), 'the output was rotated');
    const pieces: string[] = [];
    for (let index = 500; index >= 1; index -= 1) {
      if (!fs.existsSync(`${file}.${index}`)) continue;
      assert.ok(fs.statSync(`${file}.${index}`).size <= 4096, `${file}.${index} is within the cap`);
      pieces.push(fs.readFileSync(`${file}.${index}`, 'utf8'));
    }
    pieces.push(fs.readFileSync(file, 'utf8'));
    const written = pieces
      .join('')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('[taskwarden] older lines were rotated out'));
    assert.deepEqual(
      written,
      Array.from({ length: lines }, (_, index) => `line ${index + 1} of the task`),
      'every line once, whole and in order',
    );
  });

  it('kills one task by id and every task of a name with killall, recording them as killed', async () => {
    const ws = workspaces.create();
    const { agent } = await watchTasks(ws);
    const launch = (name: string): Promise<LaunchTaskResult> =>
      agent.connection.sendRequest(LaunchTaskRequest.type, { name, argv: [fixture('sleep-forever.sh')], cwd: ws.dir });
    const [single, first, second, other] = [await launch('single'), await launch('batch'), await launch('batch'), await launch('other')];
    const killed = await task(ws, ['kill', String(single.id)]);
    assert.equal(killed.code, 0, killed.stderr);
    assert.equal(killed.stdout, `killed task ${single.id}\n`);
    // kill returns once the task is recorded.
    const history = await taskJson<TaskHistoryResult>(ws, ['history']);
    assert.deepEqual(
      history.entries.map((entry) => [entry.id, entry.outcome, entry.error]),
      [[single.id, 'killed', 'killed']],
    );
    assert.ok(!alive(single.pid));

    const killall = await task(ws, ['killall', 'batch']);
    assert.equal(killall.code, 0, killall.stderr);
    assert.equal(killall.stdout, `killed tasks ${first.id}, ${second.id}\n`);
    assert.ok(!alive(first.pid) && !alive(second.pid));
    assert.deepEqual(
      (await liveTasks(agent)).map((info) => info.id),
      [other.id],
    );
    const none = await task(ws, ['killall', 'batch']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no task named "batch" is reserved or running/);
    await waitFor(async () => (await task(ws, ['kill', String(other.id)])).code === 0, { what: 'the last task to be killed' });
  });
});
