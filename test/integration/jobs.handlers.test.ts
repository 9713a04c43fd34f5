/**
 * The built-in handlers on real processes through the real CLI and agent:
 * `command` states 0–3, an exit out of bounds, a signal, a time-limit kill of a
 * whole tree, perfdata and `logs job:NAME`; `http` against a server this test
 * starts on 127.0.0.1; `queue` with wait; params that fail their schema give the
 * CRITICAL "Invalid job" event and no run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { CheckEvent } from '../../agent/jobs/protocol';
import { Workspaces } from './tasks.helpers';
import { waitFor } from './support/waitFor';
import { CLI, type TestWorkspace } from './support/workspace';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

let server: http.Server;
let base = '';
before(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/slow') setTimeout(() => response.end('slow but fine'), 300);
    else if (request.url === '/broken') {
      response.statusCode = 500;
      response.end('oops');
    } else if (request.url === '/hang') return;
    else response.end('all good: healthy');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

async function run(ws: TestWorkspace, name: string): Promise<{ code: number; event: CheckEvent }> {
  const result = await ws.cli(['job', 'run', name, '--json']);
  assert.ok(result.stdout.startsWith('{'), `job run ${name}: ${result.stderr}`);
  return { code: result.code, event: JSON.parse(result.stdout) as CheckEvent };
}

function plugin(state: number, output: string): string {
  return `{task: command, params: {cmd: [sh, -c, "echo '${output}'; exit ${state}"]}}`;
}

describe('the command handler', () => {
  it('turns exit 0-3 into the state, exit 5 and a signal into UNKNOWN, with the first line as output and perfdata parsed', async () => {
    const ws = workspaces.create(
      [
        'jobs:',
        `  ok: ${plugin(0, 'DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968')}`,
        `  warn: ${plugin(1, 'LOAD WARNING - load average: 5.1')}`,
        `  crit: ${plugin(2, 'PROCS CRITICAL: 0 processes')}`,
        `  unknown: ${plugin(3, 'UNKNOWN - cannot read')}`,
        `  five: ${plugin(5, 'weird')}`,
        '  segv: {task: command, params: {cmd: [sh, -c, "kill -SEGV $$"]}}',
        '',
      ].join('\n'),
    );
    const ok = await run(ws, 'ok');
    assert.equal(ok.code, 0);
    assert.equal(ok.event.output, 'DISK OK - free space: / 3326 MB (56%);');
    assert.deepEqual(ok.event.perf_data, [{ label: '/', value: 2643, uom: 'MB', warn: '5948', crit: '5958', min: 0, max: 5968 }]);
    assert.equal(ok.event.connector_name, 'command');
    assert.equal(ok.event.resource, 'ok');
    for (const [name, state, output] of [
      ['warn', 1, 'LOAD WARNING - load average: 5.1'],
      ['crit', 2, 'PROCS CRITICAL: 0 processes'],
      ['unknown', 3, 'UNKNOWN - cannot read'],
      ['five', 3, 'weird (exit code 5 is out of bounds (0-3))'],
      ['segv', 3, '(killed by SIGSEGV)'],
    ] as const) {
      const result = await run(ws, name);
      assert.deepEqual([result.code, result.event.state, result.event.output], [state, state, output], name);
    }
    const logs = await ws.cli(['logs', 'job:warn']);
    assert.match(logs.stdout, /LOAD WARNING - load average: 5.1/);
  });

  it('kills the whole tree at the time limit: CRITICAL "timed out after 1 s", no process left', async () => {
    const ws = workspaces.create(`jobs:\n  slow: {task: command, time_limit: 1, params: {cmd: [sh, -c, "sleep 60 & sleep 60 & wait"]}}\n`);
    const started = Date.now();
    const { code, event } = await run(ws, 'slow');
    assert.deepEqual([code, event.state, event.output], [2, 2, 'timed out after 1 s']);
    assert.ok(Date.now() - started < 8000);
    await waitFor(() => workspaces.leaks().filter((leak) => leak.command.includes('sleep 60')).length === 0, {
      what: 'the sleeps to be gone',
    });
  });

  it('does not run a job whose params fail the schema: a CRITICAL "Invalid job" event instead', async () => {
    const ws = workspaces.create('jobs:\n  bad: {task: command, params: {cmd: "touch ran"}}\n');
    const { code, event } = await run(ws, 'bad');
    assert.equal(code, 2);
    assert.match(event.output, /^Invalid job: params.cmd must be array/);
    assert.equal(fs.existsSync(path.join(ws.dir, 'ran')), false);
  });
});

describe('the http handler', () => {
  it('says OK with the status and latency, CRITICAL on a bad status or body, WARNING when slow, CRITICAL when it times out', async () => {
    const ws = workspaces.create(
      [
        'jobs:',
        `  up: {task: http, params: {url: "${base}/", body_match: healthy}}`,
        `  broken: {task: http, params: {url: "${base}/broken"}}`,
        `  nomatch: {task: http, params: {url: "${base}/", body_match: "^nope"}}`,
        `  slow: {task: http, params: {url: "${base}/slow", warn_ms: 100, crit_ms: 5000}}`,
        `  hang: {task: http, time_limit: 0.5, params: {url: "${base}/hang"}}`,
        '',
      ].join('\n'),
    );
    const up = await run(ws, 'up');
    assert.equal(up.code, 0);
    assert.match(up.event.output, /^HTTP 200 in \d+ ms$/);
    assert.equal(up.event.perf_data?.[0]?.label, 'time');
    assert.match((await run(ws, 'broken')).event.output, /^HTTP 500 in \d+ ms \(expected 2xx or 3xx\)$/);
    assert.match((await run(ws, 'nomatch')).event.output, /body does not match/);
    const slow = await run(ws, 'slow');
    assert.equal(slow.event.state, 1);
    assert.match(slow.event.output, /over 100 ms/);
    const hang = await run(ws, 'hang');
    assert.deepEqual([hang.event.state, hang.event.output], [2, 'timed out after 0.5 s']);
  });
});

describe('the queue handler', () => {
  it('pushes into a queue and, with wait, follows the item to its end', async () => {
    const ws = workspaces.create(
      [
        'queues:',
        '  work: {}',
        'jobs:',
        '  good: {task: queue, params: {queue: work, cmd: [sh, -c, "echo hi > pushed"], wait: true}}',
        '  failing: {task: queue, params: {queue: work, cmd: [sh, -c, "exit 3"], wait: true}}',
        '  fire: {task: queue, params: {queue: work, cmd: [sh, -c, "echo fired > fired"]}}',
        '  nowhere: {task: queue, params: {queue: missing, cmd: ["true"]}}',
        '',
      ].join('\n'),
    );
    const good = await run(ws, 'good');
    assert.equal(good.code, 0);
    assert.match(good.event.output, /^queue item \S+ done \(exit 0\)$/);
    assert.equal(fs.readFileSync(path.join(ws.dir, 'pushed'), 'utf8'), 'hi\n');
    const failing = await run(ws, 'failing');
    assert.equal(failing.event.state, 2);
    assert.match(failing.event.output, /failed: Invalid exit code 3/);
    assert.match((await run(ws, 'fire')).event.output, /^pushed queue item \S+ into work$/);
    await waitFor(() => fs.existsSync(path.join(ws.dir, 'fired')), { what: 'the pushed item to run' });
    const nowhere = await run(ws, 'nowhere');
    assert.equal(nowhere.event.state, 2);
    assert.match(nowhere.event.output, /could not push into queue 'missing'/);
  });
});

describe('job events --follow --json', () => {
  it('prints one Canopsis check event per line as runs end, for piping into other monitoring', async () => {
    const ws = workspaces.create(`jobs:\n  beat: {task: noop, params: {output: alive}}\n`);
    await ws.cli(['job', 'run', 'beat']);
    const follower = spawn(process.execPath, [CLI, '-w', ws.dir, 'job', 'events', 'beat', '--follow', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    follower.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await waitFor(() => out.split('\n').filter(Boolean).length === 1, { what: 'the stored event' });
      await ws.cli(['job', 'run', 'beat']);
      await waitFor(() => out.split('\n').filter(Boolean).length === 2, { what: 'the new event' });
      const events = out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CheckEvent);
      assert.deepEqual(
        events.map((event) => [event.resource, event.state, event.output, event.event_type]),
        [
          ['beat', 0, 'alive', 'check'],
          ['beat', 0, 'alive', 'check'],
        ],
      );
    } finally {
      follower.kill();
    }
  });
});
