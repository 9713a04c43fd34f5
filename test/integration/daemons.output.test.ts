/**
 * Daemon output: recent lines and live streaming over the protocol (to the
 * requesting client only, until it unsubscribes), `taskwarden logs -f`, and
 * size-capped rotation of the log files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { DaemonLogNotification, DaemonLogsRequest, UnfollowDaemonLogsRequest, type DaemonLogLine } from '../../agent/protocol';
import { cleanupWorkspace, FIXTURES, startedWorkspace, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';
import { CLI, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

const heartbeat = path.join(FIXTURES, 'heartbeat.sh');

describe('daemon output', () => {
  it('returns recent lines, then streams new ones to the following client only until it unsubscribes', async () => {
    const { ws, agent } = await startedWorkspace(`tasks:\n  beat: {commands: {start: [${heartbeat}, "0.05"]}}\n`);
    used.push(ws);
    await waitForInstance(agent, 'beat:0', (instance) => instance.state === 'running', 'to run');
    const other = await ws.connect('bystander');
    const seenByOther: DaemonLogLine[] = [];
    other.connection.onNotification(DaemonLogNotification.type, (params) => {
      seenByOther.push(...params.lines);
    });
    const streamed: DaemonLogLine[] = [];
    agent.connection.onNotification(DaemonLogNotification.type, (params) => {
      streamed.push(...params.lines);
    });

    await waitFor(
      () =>
        fs.existsSync(path.join(ws.dir, '.taskwarden/logs/daemons/beat.0.out')) &&
        fs.readFileSync(path.join(ws.dir, '.taskwarden/logs/daemons/beat.0.out'), 'utf8').includes('beat 5'),
      { what: 'five beats' },
    );
    const result = await agent.connection.sendRequest(DaemonLogsRequest.type, { name: 'beat', lines: 3, follow: true });
    assert.equal(result.lines.length, 3);
    assert.ok(result.subscription !== null);
    const lastRecent = Number(/beat (\d+)/.exec(result.lines.at(-1)!.text)?.[1]);
    await waitFor(() => streamed.length >= 5, { what: 'five streamed lines' });
    // Recent history and the stream join without a gap or a repeat.
    assert.deepEqual(
      streamed.slice(0, 5).map((line) => line.text),
      [1, 2, 3, 4, 5].map((step) => `beat ${lastRecent + step}`),
    );
    assert.equal(streamed[0]!.instance, 'beat:0');
    assert.equal(streamed[0]!.stream, 'stdout');

    await agent.connection.sendRequest(UnfollowDaemonLogsRequest.type, { subscription: result.subscription! });
    const count = streamed.length;
    await waitFor(
      () => fs.readFileSync(path.join(ws.dir, '.taskwarden/logs/daemons/beat.0.out'), 'utf8').split('\n').length > lastRecent + count + 5,
      { what: 'more beats after unsubscribing' },
    );
    assert.ok(streamed.length <= count + 1, 'no lines after unsubscribing');
    assert.deepEqual(seenByOther, []);
  });

  it('prints recent lines and follows with taskwarden logs -f', async () => {
    const { ws, agent } = await startedWorkspace(
      `tasks:\n  lines: {commands: {start: [sh, -c, 'echo out-one; echo err-one >&2; sleep 0.5; echo out-two; exec sleep 100000']}}\n`,
    );
    used.push(ws);
    await waitForInstance(agent, 'lines:0', (instance) => instance.state === 'running', 'to run');
    const child = spawn(process.execPath, [CLI, 'logs', 'lines', '-f', '-w', ws.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => stdout.includes('out-two') && stderr.includes('err-one'), {
      what: 'the recent and followed lines',
      timeoutMs: 10_000,
    });
    assert.equal(stdout, 'out-one\nout-two\n');
    assert.equal(stderr, 'err-one\n');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);

    const onlyErrors = await ws.cli(['logs', 'lines', '--stderr']);
    assert.equal(onlyErrors.stdout, '');
    assert.equal(onlyErrors.stderr, 'err-one\n');
  });

  it('rotates a log file that outgrows its size cap, keeps the configured number of old files and loses no line', async () => {
    const { ws, agent } = await startedWorkspace(`
tasks:
  chatty:
    commands: {start: [sh, -c, 'i=0; while :; do i=$((i+1)); echo "line $i of a chatty daemon that writes quite a lot"; sleep 0.002; done']}
    logs: {max_bytes: 8192, keep: 2}
`);
    used.push(ws);
    await waitForInstance(agent, 'chatty:0', (instance) => instance.state === 'running', 'to run');
    const base = path.join(ws.dir, '.taskwarden/logs/daemons/chatty.0.out');
    await waitFor(() => fs.existsSync(`${base}.2`), { what: 'two rotations', timeoutMs: 15_000 });
    // Stopped, so no rotation runs while the files are read.
    assert.equal((await ws.cli(['stop', 'chatty'])).code, 0);
    await waitForInstance(agent, 'chatty:0', (instance) => instance.state === 'stopped', 'to stop');
    assert.equal(fs.existsSync(`${base}.3`), false);
    assert.ok(fs.statSync(`${base}.1`).size >= 4096);
    // The older file, the newer one and the live one continue each other byte for byte:
    // joined, they hold consecutive numbered lines (a cut may fall inside a line).
    const joined = [`${base}.2`, `${base}.1`, base].map((file) => fs.readFileSync(file, 'utf8')).join('');
    const numbers = joined
      .split('\n')
      .slice(1, -1)
      .map((line) => Number(/^line (\d+) of a chatty daemon that writes quite a lot$/.exec(line)?.[1]));
    assert.ok(numbers.length > 100, `expected many lines, got ${numbers.length}`);
    numbers.slice(1).forEach((number, index) => assert.equal(number, numbers[index]! + 1, `line ${index + 2} of the joined files`));
  });
});
