/**
 * `taskwarden check` with the daemon rules: taskforce's own example configs
 * load unchanged, and daemon errors are reported with their line.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { createWorkspace, REPO_ROOT, runCli, type TestWorkspace } from './support/workspace';

const VECTORS = path.join(REPO_ROOT, 'test/fixtures/taskforce');
const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await ws.cleanup();
});

describe('taskwarden check on daemon configs', () => {
  const vectors = fs.existsSync(VECTORS) ? fs.readdirSync(VECTORS).sort() : [];
  for (const vector of vectors) {
    it(`loads taskforce's ${vector} without errors`, async () => {
      const result = await runCli(['check', '--json', '-f', path.join(VECTORS, vector)], { cwd: REPO_ROOT });
      const report = JSON.parse(result.stdout) as { ok: boolean; diagnostics: { severity: string; message: string }[] };
      assert.deepEqual(
        report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'),
        [],
      );
      assert.equal(result.code, 0);
    });
  }

  it('reports an unknown requires and a cycle on their lines', async () => {
    const ws = createWorkspace(`tasks:
  a: {requires: b, commands: {start: [sleep, "1"]}}
  b: {requires: a, commands: {start: [sleep, "1"]}}
  c: {requires: [nothere], commands: {start: [sleep, "1"]}}
`);
    used.push(ws);
    const result = await ws.cli(['check']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /taskwarden\.yaml:2:\d+: error: requires 'b', which makes a cycle: a → b → a/);
    assert.match(result.stdout, /taskwarden\.yaml:4:\d+: error: requires 'nothere', which is not a task/);
  });

  it('reports a misspelt requires, a count that is not a number and an unknown key at once, each at its place', async () => {
    const ws = createWorkspace(`tasks:
  database:
    commands: {start: [sleep, "1000"]}
  web:
    commands: {start: [sleep, "1000"]}
    requires: databse
    count: two
    colour: red
`);
    used.push(ws);
    const result = await ws.cli(['check']);
    assert.equal(result.code, 1);
    assert.equal(
      result.stdout,
      [
        "taskwarden.yaml:6:15: error: requires 'databse', which is not a task (did you mean 'database'?)",
        "taskwarden.yaml:7:12: error: must be a whole number of processes, 0 or more, not 'two'",
        "taskwarden.yaml:8:5: error: unknown key in tasks.web: 'colour'",
        '',
      ].join('\n'),
    );
  });

  it("checks every part's section: a job's params against its handler's schema, as a warning at its line (exit 0)", async () => {
    const ws = createWorkspace('tasks: {}\njobs:\n  nightly: {task: command}\nqueues: {}\ngroups: {}\n');
    used.push(ws);
    const result = await ws.cli(['check']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), ["taskwarden.yaml:3:3: warning: jobs.nightly.params is missing required key 'cmd'"]);
  });
});
