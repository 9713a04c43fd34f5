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
});
