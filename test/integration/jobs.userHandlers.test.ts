/**
 * User handlers in their runner process: a TypeScript handler with a schema
 * and ctx.log, one that throws, one that hangs (killed at the time limit, no
 * process left), one edited between runs (the edit applies), and a Canopsis
 * (state, output) tuple.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { CheckConfigRequest } from '../../agent/protocol/config';
import type { CheckEvent } from '../../agent/jobs/protocol';
import { Workspaces } from './tasks.helpers';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

async function run(ws: TestWorkspace, name: string): Promise<{ code: number; event: CheckEvent }> {
  const result = await ws.cli(['job', 'run', name, '--json']);
  assert.ok(result.stdout.startsWith('{'), `job run ${name}: ${result.stderr}`);
  return { code: result.code, event: JSON.parse(result.stdout) as CheckEvent };
}

function handler(ws: TestWorkspace, file: string, source: string): void {
  fs.mkdirSync(path.join(ws.dir, 'handlers'), { recursive: true });
  fs.writeFileSync(path.join(ws.dir, 'handlers', file), source);
}

describe('user handlers', () => {
  it('run in a runner process: schema, ctx.log, a throw, a hang, a live edit, a tuple', async () => {
    const ws = workspaces.create('tasks: {}\n');
    handler(
      ws,
      'greet.ts',
      [
        "export const schema = { type: 'object', properties: { who: { type: 'string', required: true } } };",
        'export function handle(job: { id: string; params: { who: string } }, ctx: { log(...values: unknown[]): void }) {',
        "  ctx.log('greeting', job.params.who, 'for', job.id);",
        '  return { state: 1, output: `hello ${job.params.who}`, pid: process.pid };',
        '}',
        '',
      ].join('\n'),
    );
    handler(ws, 'boom.mjs', "export function handle() { throw new Error('kaput'); }\n");
    handler(ws, 'hang.js', 'module.exports = { handle: () => new Promise(() => {}) };\n');
    handler(ws, 'edited.js', "module.exports = { handle: () => ({ state: 0, output: 'first' }) };\n");
    handler(ws, 'tuple.js', "module.exports = { handle: () => [2, 'from a tuple'] };\n");
    ws.writeConfig(
      [
        'jobs:',
        '  greet: {task: greet, params: {who: world}}',
        '  greetbad: {task: greet, params: {whom: 3}}',
        '  boom: {task: boom}',
        '  hang: {task: hang, time_limit: 1}',
        '  edited: {task: edited}',
        '  tuple: {task: tuple}',
        '',
      ].join('\n'),
    );
    const greet = await run(ws, 'greet');
    assert.deepEqual([greet.code, greet.event.state, greet.event.output, greet.event.connector_name], [1, 1, 'hello world', 'greet']);
    assert.match((await ws.cli(['logs', 'job:greet'])).stdout, /greeting world for greet/);
    const bad = await run(ws, 'greetbad');
    assert.deepEqual([bad.event.state, bad.event.output], [2, "Invalid job: params is missing required key 'who'"]);
    const boom = await run(ws, 'boom');
    assert.deepEqual([boom.code, boom.event.output], [3, 'the handler threw: kaput']);
    const hang = await run(ws, 'hang');
    assert.deepEqual([hang.event.state, hang.event.output], [2, 'timed out after 1 s']);
    await waitFor(() => workspaces.leaks().every((leak) => !leak.command.includes('jobHandlerRunner')), {
      what: 'the hung runner to be gone',
    });
    assert.equal((await run(ws, 'edited')).event.output, 'first');
    handler(ws, 'edited.js', "module.exports = { handle: () => ({ state: 1, output: 'second' }) };\n");
    assert.equal((await run(ws, 'edited')).event.output, 'second');
    assert.deepEqual((await run(ws, 'tuple')).event.output, 'from a tuple');
  });

  it("check a job's params against the schema the handler exports, at the param's line, and again after an edit of the handler", async () => {
    const ws = workspaces.create('tasks: {}\n');
    handler(
      ws,
      'count.mjs',
      [
        "console.log('a module that prints while it loads');",
        "export const schema = { type: 'object', properties: { times: { type: 'number' } }, required: ['times'] };",
        'export function handle() { return { state: 0, output: "ok" }; }',
      ].join('\n'),
    );
    const config = 'jobs:\n  counting:\n    task: count\n    params:\n      times: many\n';
    fs.writeFileSync(path.join(ws.dir, 'taskwarden.yaml'), config);
    const up = await ws.cli(['up']);
    assert.equal(up.code, 0, up.stderr);
    const agent = await ws.connect();
    try {
      const problems = async (text: string): Promise<string[]> =>
        (await agent.connection.sendRequest(CheckConfigRequest.type, { text })).diagnostics.map(
          (problem) => `${problem.line}: ${problem.severity}: ${problem.message}`,
        );
      // The schema is read by a runner process in the background: the check knows it a moment later.
      const shown = await waitFor(async () => (await problems(config)).find((line) => line.includes('times')), {
        what: 'a problem with times',
      });
      assert.match(shown, /^5: warning: .*times.*number/);
      assert.deepEqual(await problems(config.replace('many', '3')), []);
      // The handler now wants a string: the next check follows the edit.
      const file = path.join(ws.dir, 'handlers', 'count.mjs');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("times: { type: 'number' }", "times: { type: 'string' }"));
      fs.utimesSync(file, new Date(), new Date(Date.now() + 2000));
      await waitFor(async () => (await problems(config.replace('many', '3'))).some((line) => /^5: warning: .*string/.test(line)), {
        what: 'the edited schema to apply',
      });
    } finally {
      agent.close();
    }
  });

  it('are checked when the config loads: a job naming no handler file is an error at its task line', async () => {
    const ws = workspaces.create('jobs:\n  lost: {task: nowhere}\n');
    const check = await ws.cli(['check']);
    assert.equal(check.code, 1);
    assert.match(check.stdout + check.stderr, /taskwarden\.yaml:2:16: error: unknown handler 'nowhere'/);
  });
});
