/**
 * Daemon output: recent lines and live streaming over the protocol (to the
 * requesting client only, until it unsubscribes), `taskwarden logs -f`, and
 * size-capped rotation of the log files.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { FollowOutputRequest, OutputLinesNotification, UnfollowOutputRequest, type OutputLine } from '../../agent/protocol';
import { cleanupWorkspace, FIXTURES, startedWorkspace, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';
import { CLI, type TestWorkspace } from './support/workspace';

const used: TestWorkspace[] = [];
const followers: ChildProcess[] = [];
afterEach(async () => {
  // A follower a failed test left running would start agents for a folder about to go.
  for (const child of followers.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const ws of used.splice(0)) await cleanupWorkspace(ws);
});

const heartbeat = path.join(FIXTURES, 'heartbeat.sh');

/** `taskwarden ARGS -w DIR` running in the background, its output collected as it comes. */
function followCli(
  ws: TestWorkspace,
  args: readonly string[],
): { child: ChildProcess; stdout: string; stderr: string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args, '-w', ws.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  followers.push(child);
  const run = { child, stdout: '', stderr: '', exited: new Promise<number | null>((resolve) => child.once('exit', resolve)) };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return run;
}

/** The follower's exit code, once it has ended; a follower that never ends fails the test with what it said. */
async function endOf(
  run: { child: ChildProcess; stderr: string; exited: Promise<number | null> },
  timeoutMs = 30_000,
): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`the follower did not end within ${timeoutMs} ms; it printed on stderr: ${JSON.stringify(run.stderr.slice(-2000))}`),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run.exited, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The numbers of the `beat N` lines of a text. */
function beatsIn(text: string): number[] {
  return [...text.matchAll(/^beat (\d+)$/gm)].map((match) => Number(match[1]));
}

describe('daemon output', () => {
  it('returns recent lines, then streams new ones to the following client only until it unsubscribes', async () => {
    const { ws, agent } = await startedWorkspace(`tasks:\n  beat: {commands: {start: [${heartbeat}, "0.05"]}}\n`);
    used.push(ws);
    await waitForInstance(agent, 'beat:0', (instance) => instance.state === 'running', 'to run');
    const other = await ws.connect('bystander');
    const seenByOther: OutputLine[] = [];
    other.connection.onNotification(OutputLinesNotification.type, (params) => {
      seenByOther.push(...params.lines);
    });
    const streamed: OutputLine[] = [];
    agent.connection.onNotification(OutputLinesNotification.type, (params) => {
      streamed.push(...params.lines);
    });

    await waitFor(
      () =>
        fs.existsSync(path.join(ws.dir, '.taskwarden/logs/daemons/beat.0.out')) &&
        fs.readFileSync(path.join(ws.dir, '.taskwarden/logs/daemons/beat.0.out'), 'utf8').includes('beat 5'),
      { what: 'five beats' },
    );
    const result = await agent.connection.sendRequest(FollowOutputRequest.type, {
      source: { part: 'daemons', id: 'beat' },
      subscription: 1,
      lines: 3,
      follow: true,
    });
    assert.equal(result.lines.length, 3);
    assert.equal(result.following, true);
    const lastRecent = Number(/beat (\d+)/.exec(result.lines.at(-1)!.text)?.[1]);
    await waitFor(() => streamed.length >= 5, { what: 'five streamed lines' });
    // Recent history and the stream join without a gap or a repeat.
    assert.deepEqual(
      streamed.slice(0, 5).map((line) => line.text),
      [1, 2, 3, 4, 5].map((step) => `beat ${lastRecent + step}`),
    );
    assert.equal(streamed[0]!.run, 'beat:0');
    assert.equal(streamed[0]!.stream, 'stdout');

    await agent.connection.sendRequest(UnfollowOutputRequest.type, { subscription: 1 });
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

  it('prints one JSON object per line with logs --json', async () => {
    const { ws, agent } = await startedWorkspace(
      `tasks:\n  lines: {commands: {start: [sh, -c, 'echo out-one; echo err-one >&2; exec sleep 100000']}}\n`,
    );
    used.push(ws);
    await waitForInstance(agent, 'lines:0', (instance) => instance.state === 'running', 'to run');
    const result = await waitFor(
      async () => {
        const attempt = await ws.cli(['logs', 'lines', '--json']);
        return attempt.stdout.split('\n').length === 3 ? attempt : null;
      },
      { what: 'both lines as JSON' },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.stdout
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line) as unknown),
      [
        { instance: 'lines:0', run: 'lines:0', stream: 'stdout', line: 'out-one' },
        { instance: 'lines:0', run: 'lines:0', stream: 'stderr', line: 'err-one' },
      ],
    );
  });

  it('keeps following with logs -f when the agent dies: says so, starts a new agent and prints every line exactly once', async () => {
    const { ws, agent } = await startedWorkspace(`tasks:\n  beat: {commands: {start: [${heartbeat}, "0.02"]}}\n`);
    used.push(ws);
    await waitForInstance(agent, 'beat:0', (instance) => instance.state === 'running', 'to run');
    const follower = followCli(ws, ['logs', 'beat', '-f', '-n', '1000000']);
    await waitFor(() => follower.stdout.includes('beat 10\n'), { what: 'the first ten beats' });
    const agentPid = agent.handshake.pid;
    agent.close();
    process.kill(agentPid, 'SIGKILL');
    await waitFor(() => follower.stderr.includes('the agent went away; reconnecting'), { what: 'the follower to notice' });
    await waitFor(() => /following again with agent pid (\d+)/.test(follower.stderr), { what: 'a new agent', timeoutMs: 20_000 }).catch(
      (error: unknown) => {
        throw new Error(`${(error as Error).message}; logs -f said: ${JSON.stringify(follower.stderr)}, exit ${follower.child.exitCode}`);
      },
    );
    const newPid = Number(/following again with agent pid (\d+)/.exec(follower.stderr)![1]);
    assert.notEqual(newPid, agentPid);
    const seenAtReconnect = beatsIn(follower.stdout).at(-1)!;
    await waitFor(() => beatsIn(follower.stdout).at(-1)! > seenAtReconnect + 20, { what: 'beats from the new agent' });
    follower.child.kill('SIGINT');
    assert.equal(await endOf(follower), 0);
    const beats = beatsIn(follower.stdout);
    assert.equal(beats[0], 1);
    beats.forEach((beat, index) => assert.equal(beat, index + 1, `line ${index + 1} of what logs -f printed`));
  });

  it('ends logs -f with a word when the agent is stopped, and exits 3 with --no-start when no agent comes back', async () => {
    const { ws, agent } = await startedWorkspace(`tasks:\n  beat: {commands: {start: [${heartbeat}, "0.05"]}}\n`);
    used.push(ws);
    await waitForInstance(agent, 'beat:0', (instance) => instance.state === 'running', 'to run');
    const stopped = followCli(ws, ['logs', 'beat', '-f']);
    await waitFor(() => stopped.stdout.includes('beat 3\n'), { what: 'three beats' });
    assert.equal((await ws.cli(['down'])).code, 0);
    assert.equal(await endOf(stopped), 0);
    assert.match(stopped.stderr, /the agent was stopped, and its processes with it; nothing more to follow/);
    assert.equal(await ws.agentPid(), null, 'no agent was started again');

    await ws.cli(['up']);
    const next = await ws.connect();
    await waitForInstance(next, 'beat:0', (instance) => instance.state === 'running', 'to run');
    const lonely = followCli(ws, ['logs', 'beat', '-f', '--no-start']);
    await waitFor(() => lonely.stdout.includes('beat'), { what: 'a beat' });
    process.kill(next.handshake.pid, 'SIGKILL');
    assert.equal(await endOf(lonely), 3);
    assert.match(
      lonely.stderr,
      /the agent went away; reconnecting\ntaskwarden: no agent runs for .* any more \(and --no-start was given\)\n$/,
    );
    // An agent again, to adopt the daemon and stop it with the workspace.
    assert.equal((await ws.cli(['up'])).code, 0);
  });

  it('rotates a burst into rotated files of whole lines within the cap, keeps `keep` of them, and logs -n reads back across them', async () => {
    // The reproduction: 3,000 lines of about 100 bytes against a cap of 20,000 bytes and keep 5.
    const { ws, agent } = await startedWorkspace(`
tasks:
  chatty:
    commands: {start: [sh, -c, 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); printf "line %05d %089d\\n" $i 0; done; exec sleep 100000']}
    logs: {max_bytes: 20000, keep: 5}
`);
    used.push(ws);
    await waitForInstance(agent, 'chatty:0', (instance) => instance.state === 'running', 'to run');
    const base = path.join(ws.dir, '.taskwarden/logs/daemons/chatty.0.out');
    const line = /^line (\d{5}) 0{89}$/;
    // Written to the end, and rotated since (a loaded machine may rotate once in the middle of the burst too).
    await waitFor(
      () => fs.existsSync(`${base}.1`) && fs.readFileSync(base, 'utf8').includes('line 03000') && fs.statSync(base).size < 40_000,
      {
        what: 'all lines written and rotated',
        timeoutMs: 15_000,
      },
    );
    // The time index (chatty.0.out.times) lies beside them.
    const rotated = fs.readdirSync(path.dirname(base)).filter((name) => /^chatty\.0\.out\.\d+$/.test(name));
    assert.deepEqual(
      rotated.sort(),
      [1, 2, 3, 4, 5].map((index) => `chatty.0.out.${index}`),
    );
    const kept: number[] = [];
    for (const index of [5, 4, 3, 2, 1]) {
      const text = fs.readFileSync(`${base}.${index}`, 'utf8');
      assert.ok(Buffer.byteLength(text) <= 20_000 + 100, `${base}.${index} holds ${Buffer.byteLength(text)} bytes`);
      assert.ok(text.endsWith('\n'), `${base}.${index} ends with a whole line`);
      for (const entry of text.split('\n').slice(0, -1)) {
        assert.match(entry, line, `${base}.${index} holds whole lines only`);
        kept.push(Number(line.exec(entry)![1]));
      }
    }
    const first = fs.readFileSync(base, 'utf8').split('\n', 1)[0]!;
    assert.match(
      first,
      /^(\[taskwarden\] older lines were rotated out \(base \d+\) *|line \d{5} 0{89})$/,
      'the live file starts with a whole line',
    );

    const logs = await ws.cli(['logs', 'chatty', '-n', '100000', '--stdout']);
    assert.equal(logs.code, 0, logs.stderr);
    const printed = logs.stdout.split('\n').slice(0, -1);
    printed.forEach((entry) => assert.match(entry, line));
    const numbers = printed.map((entry) => Number(line.exec(entry)![1]));
    assert.equal(numbers.at(-1), 3000);
    assert.equal(numbers[0], kept[0], 'the history starts with the oldest rotated file');
    numbers.slice(1).forEach((number, index) => assert.equal(number, numbers[index]! + 1, `line ${index + 2} of the printed history`));
  });

  it('keeps the output of daemons whose names differ only in unsafe characters apart', async () => {
    const { ws, agent } = await startedWorkspace(`
tasks:
  a b: {commands: {start: [sh, -c, 'echo from-space; exec sleep 100000']}}
  a_b: {commands: {start: [sh, -c, 'echo from-underscore; exec sleep 100000']}}
`);
    used.push(ws);
    await waitForInstance(agent, 'a b:0', (instance) => instance.state === 'running', 'to run');
    await waitForInstance(agent, 'a_b:0', (instance) => instance.state === 'running', 'to run');
    await waitFor(async () => (await ws.cli(['logs', 'a b'])).stdout === 'from-space\n', { what: "a b's line" });
    assert.equal((await ws.cli(['logs', 'a_b'])).stdout, 'from-underscore\n');
    const logs = fs.readdirSync(path.join(ws.dir, '.taskwarden/logs/daemons'));
    assert.deepEqual(logs.filter((name) => !name.endsWith('.times')).sort(), ['a%20b.0.err', 'a%20b.0.out', 'a_b.0.err', 'a_b.0.out']);
  });
});
