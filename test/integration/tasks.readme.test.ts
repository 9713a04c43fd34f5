/**
 * taskwatcher's README, played from the `taskwarden task` CLI as a new user
 * would: its three scenarios (no feedback, unique, feedback with timeout), its
 * feedback example, and `parse` on the feedback files of taskwatcher's own tests.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { runCli } from './support/workspace';
import type { ListTasksResult, TaskHistoryResult } from '../../agent/tasks/protocol';
import { waitFor } from './support/waitFor';
import { fixture, task, taskJson, Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

const VECTORS = path.resolve(__dirname, '../fixtures/feedback/taskwatcher');

function launchedId(stdout: string): number {
  const match = /^launched pid \d+ as task (\d+)\n$/.exec(stdout);
  assert.ok(match, `launch output: ${stdout}`);
  return Number(match[1]);
}

async function historyOf(ws: ReturnType<Workspaces['create']>, ids: readonly number[]): Promise<TaskHistoryResult['entries']> {
  return waitFor(
    async () => {
      const history = await taskJson<TaskHistoryResult>(ws, ['history']);
      const rows = history.entries.filter((entry) => ids.includes(entry.id));
      return rows.length === ids.length ? rows : null;
    },
    { what: `tasks ${ids.join(', ')} in the history`, timeoutMs: 20_000 },
  );
}

describe("taskwatcher's README scenarios from the CLI", () => {
  it('1) a task without feedback that may run several times is reserved automatically by launch', async () => {
    const ws = workspaces.create();
    const first = await task(ws, ['launch', '--', fixture('exit-with.sh'), '0']);
    const second = await task(ws, ['launch', '--', fixture('exit-with.sh'), '0']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const ids = [launchedId(first.stdout), launchedId(second.stdout)];
    assert.notEqual(ids[0], ids[1]);
    const rows = await historyOf(ws, ids);
    assert.deepEqual(
      rows.map((row) => [row.name, row.exitCode, row.error]),
      [
        ['exit-with.sh', 0, null],
        ['exit-with.sh', 0, null],
      ],
    );
  });

  it('2) a task without feedback of which only one may run takes a unique reservation first', async () => {
    const ws = workspaces.create();
    const reserved = await task(ws, ['reserve', '--name', 'Runner', '--unique']);
    assert.equal(reserved.code, 0, reserved.stderr);
    const id = Number(reserved.stdout);
    const launched = await task(ws, ['launch', '--taskid', String(id), '--', fixture('sleep-forever.sh')]);
    assert.equal(launchedId(launched.stdout), id);

    const second = await task(ws, ['reserve', '--name', 'Runner', '--unique']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /already running/);
    const relaunch = await task(ws, ['launch', '--taskid', String(id), '--', fixture('sleep-forever.sh')]);
    assert.equal(relaunch.code, 1);
    assert.match(relaunch.stderr, new RegExp(`task ${id} is already running`));

    assert.equal((await task(ws, ['killall', 'Runner'])).code, 0);
    const [row] = await historyOf(ws, [id]);
    assert.equal(row?.name, 'Runner');
    assert.equal(row?.error, 'killed');
  });

  it('3) a task with feedback and a timeout: reserve, launch with --feedpath, read its feedback live and at the end', async () => {
    const ws = workspaces.create();
    const run = path.join(ws.dir, 'run', '1');
    fs.mkdirSync(run, { recursive: true });
    const id = Number((await task(ws, ['reserve', '--name', 'Runner', '--unique'])).stdout);
    const launched = await task(ws, [
      'launch',
      '--taskid',
      String(id),
      '--name',
      'Runner',
      '--info1',
      'Info1',
      '--info2',
      'Info2',
      '--info3',
      'Info3',
      '--feedpath',
      'run/1',
      '--timeout',
      '30',
      '--',
      fixture('readme-runner.sh'),
      '--feedback',
      '{feedback}',
    ]);
    assert.equal(launchedId(launched.stdout), id);
    const file = path.join(run, `feedback_${id}.log`);
    const expected = { playbook: 'myPlaybook', testcase_id: '002', testcase_name: 'Setting up topology', progress: '10' };

    const live = await waitFor(
      async () => {
        const result = await task(ws, ['feedback', String(id), '--json']);
        const values = JSON.parse(result.stdout) as Record<string, string>;
        return values['progress'] === '10' && values['testcase_id'] === '002' ? values : null;
      },
      { what: 'the README example feedback' },
    );
    assert.deepEqual(live, expected);
    const list = await taskJson<ListTasksResult>(ws, ['list']);
    assert.deepEqual(
      list.tasks.map((info) => [info.id, info.name, info.info1, info.info2, info.info3, info.state, info.timeoutMs, info.feedbackFile]),
      [[id, 'Runner', 'Info1', 'Info2', 'Info3', 'RUNNING', 30_000, file]],
    );

    fs.writeFileSync(`${file}.finish`, '');
    const [row] = await historyOf(ws, [id]);
    assert.deepEqual(row?.feedback, expected);
    assert.deepEqual([row?.exitCode, row?.error, row?.info1, row?.info2, row?.info3], [0, null, 'Info1', 'Info2', 'Info3']);
    assert.ok(!fs.existsSync(file), 'the feedback file is deleted at the end');
  });

  it("parses taskwatcher's own feedback files to one JSON object, and fails on a missing file", async () => {
    const expectations: Record<string, Record<string, string>> = {
      'readme_example_feedback.log': { playbook: 'myPlaybook', testcase_id: '002', testcase_name: 'Setting up topology', progress: '10' },
      'textfile_progress.txt': { progress: '100' },
      'textfile_mixed.txt': {
        animal: 'dog',
        person: 'joe',
        town: 'Paris',
        date_unix: '1588791309',
        date_long: 'Wed 06 May 2020 08:56:15 PM CEST',
        jsample: '{ "items" : { "item1" : "suitcase", "item2" : "umbrella"} }',
        progress: '60',
        name: 'Paul Emile Victor de la Petaudiere',
      },
    };
    for (const [name, expected] of Object.entries(expectations)) {
      const result = await runCli(['task', 'parse', path.join(VECTORS, name)]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), expected, name);
      assert.equal(result.stdout.split('\n').length, 2, 'one line of JSON');
    }
    const missing = await runCli(['task', 'parse', path.join(VECTORS, 'no-such-file.log')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*no-such-file\.log: no such file/);
  });

  it('initializes the task tables only with --yes and while nothing runs', async () => {
    const ws = workspaces.create();
    const id = launchedId((await task(ws, ['launch', '--', fixture('exit-with.sh')])).stdout);
    await historyOf(ws, [id]);
    const unconfirmed = await task(ws, ['initialize']);
    assert.equal(unconfirmed.code, 2);
    const running = launchedId((await task(ws, ['launch', '--', fixture('sleep-forever.sh')])).stdout);
    const refused = await task(ws, ['initialize', '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /still run/);
    assert.equal((await task(ws, ['kill', String(running)])).code, 0);
    const done = await task(ws, ['initialize', '--yes']);
    assert.equal(done.code, 0, done.stderr);
    assert.equal((await taskJson<TaskHistoryResult>(ws, ['history'])).total, 0);
    assert.equal(Number((await task(ws, ['reserve'])).stdout), 1, 'ids restart at 1');
  });
});
