/**
 * One way to follow output (`taskwarden/output/follow`): any part's run by
 * {part, id}, recent lines first, then a live stream under the id the client
 * chose; a finished task read back from its files; `taskwarden logs` for
 * tasks (`task:ID`) and daemons alike.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import type { AgentConnection } from '../../agent/cli/agentClient';
import { ErrorCodes, FollowOutputRequest, OutputLinesNotification, UnfollowOutputRequest, type OutputLine } from '../../agent/protocol';
import { LaunchTaskRequest } from '../../agent/tasks/protocol';
import { waitFor } from './support/waitFor';
import { waitForHistory, Workspaces } from './tasks.helpers';
import { CLI, type TestWorkspace } from './support/workspace';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

/** A task that writes one stderr line, then a numbered stdout line every 50 ms, forever. */
const TICKER = ['sh', '-c', 'echo started; echo warned >&2; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done'];

async function launched(workspace: TestWorkspace, argv: readonly string[]): Promise<{ agent: AgentConnection; id: number }> {
  const up = await workspace.cli(['up']);
  assert.equal(up.code, 0, up.stderr);
  const agent = await workspace.connect();
  const { id } = await agent.connection.sendRequest(LaunchTaskRequest.type, { argv, cwd: workspace.dir });
  return { agent, id };
}

function ticksIn(lines: readonly OutputLine[]): number[] {
  return lines.flatMap((line) => {
    const match = /^tick (\d+)$/.exec(line.text);
    return match ? [Number(match[1])] : [];
  });
}

async function rejection(promise: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof ResponseError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('following output', () => {
  it("streams a running task's output under the subscription id the client chose, history first, until it unfollows", async () => {
    const workspace = workspaces.create();
    const { agent, id } = await launched(workspace, TICKER);
    const streamed: OutputLine[] = [];
    const subscriptions = new Set<number>();
    // Listening before the request: with an id of our own, no line can arrive unrouted.
    agent.connection.onNotification(OutputLinesNotification.type, (params) => {
      subscriptions.add(params.subscription);
      streamed.push(...params.lines);
    });
    const bystander = await workspace.connect('bystander');
    const seenByBystander: OutputLine[] = [];
    bystander.connection.onNotification(OutputLinesNotification.type, (params) => {
      seenByBystander.push(...params.lines);
    });
    const out = path.join(workspace.dir, `.taskwarden/logs/tasks/${id}.out`);
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('tick 3\n'), { what: 'three ticks' });

    const result = await agent.connection.sendRequest(FollowOutputRequest.type, {
      source: { part: 'tasks', id: String(id) },
      subscription: 42,
      lines: 1000,
      follow: true,
    });
    assert.equal(result.following, true);
    assert.deepEqual(result.runs, [String(id)]);
    assert.deepEqual(result.lines[0], { run: String(id), stream: 'stdout', text: 'started' });
    assert.ok(
      result.lines.some((line) => line.stream === 'stderr' && line.text === 'warned'),
      'stderr lines are marked as such',
    );
    const lastRecent = ticksIn(result.lines).at(-1)!;
    await waitFor(() => ticksIn(streamed).length >= 5, { what: 'five streamed ticks' });
    // The history and the stream join without a gap or a repeat.
    assert.deepEqual(
      ticksIn(streamed).slice(0, 5),
      [1, 2, 3, 4, 5].map((step) => lastRecent + step),
    );
    assert.deepEqual([...subscriptions], [42]);

    await agent.connection.sendRequest(UnfollowOutputRequest.type, { subscription: 42 });
    const count = streamed.length;
    await waitFor(() => fs.readFileSync(out, 'utf8').includes(`tick ${lastRecent + count + 5}\n`), {
      what: 'more ticks after unfollowing',
    });
    assert.ok(streamed.length <= count + 1, 'no lines after unfollowing');
    assert.deepEqual(seenByBystander, []);
  });

  it("reads a finished task's output back from its files, with nothing to follow", async () => {
    const workspace = workspaces.create();
    const { agent, id } = await launched(workspace, ['sh', '-c', 'echo one; echo two >&2; echo three']);
    await waitForHistory(agent, id);
    const result = await agent.connection.sendRequest(FollowOutputRequest.type, {
      source: { part: 'tasks', id: String(id) },
      subscription: 1,
      follow: true,
    });
    assert.equal(result.following, false);
    assert.deepEqual(
      result.lines.map((line) => `${line.stream} ${line.text}`),
      ['stdout one', 'stdout three', 'stderr two'],
    );
  });

  it('refuses an unknown task, a follow without a subscription id and an id already in use, with typed codes', async () => {
    const workspace = workspaces.create();
    const { agent, id } = await launched(workspace, TICKER);
    const unknown = await rejection(agent.connection.sendRequest(FollowOutputRequest.type, { source: { part: 'tasks', id: '999' } }));
    assert.equal(unknown.code, ErrorCodes.NotFound);
    assert.match(unknown.message, /no task 999/);
    const source = { part: 'tasks', id: String(id) } as const;
    const anonymous = await rejection(agent.connection.sendRequest(FollowOutputRequest.type, { source, follow: true }));
    assert.equal(anonymous.code, ErrorCodes.InvalidParams);
    await agent.connection.sendRequest(FollowOutputRequest.type, { source, subscription: 7, follow: true });
    const twice = await rejection(agent.connection.sendRequest(FollowOutputRequest.type, { source, subscription: 7, follow: true }));
    assert.equal(twice.code, ErrorCodes.Conflict);
    // Another client may pick the same id: ids are per connection.
    const other = await workspace.connect('other');
    const result = await other.connection.sendRequest(FollowOutputRequest.type, { source, subscription: 7, follow: true });
    assert.equal(result.following, true);
  });

  it("follows a daemon's instances by the same request", async () => {
    const workspace = workspaces.create(`tasks:\n  talk: {commands: {start: [sh, -c, 'echo hello; exec sleep 100000']}}\n`);
    const up = await workspace.cli(['up']);
    assert.equal(up.code, 0, up.stderr);
    const agent = await workspace.connect();
    const out = path.join(workspace.dir, '.taskwarden/logs/daemons/talk.0.out');
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('hello'), { what: 'the daemon to talk' });
    const result = await agent.connection.sendRequest(FollowOutputRequest.type, {
      source: { part: 'daemons', id: 'talk' },
      subscription: 3,
      follow: true,
    });
    assert.deepEqual(result.runs, ['talk:0']);
    assert.deepEqual(result.lines, [{ run: 'talk:0', stream: 'stdout', text: 'hello' }]);
    assert.equal(result.following, true);
  });

  it("prints a finished task's output with taskwarden logs task:ID, each stream to its own", async () => {
    const workspace = workspaces.create();
    const { agent, id } = await launched(workspace, ['sh', '-c', 'echo one; echo two >&2; echo three']);
    await waitForHistory(agent, id);
    const logs = await workspace.cli(['logs', `task:${id}`]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, 'one\nthree\n');
    assert.equal(logs.stderr, 'two\n');
    const json = await workspace.cli(['logs', `task:${id}`, '--json', '--stderr']);
    assert.deepEqual(JSON.parse(json.stdout), { run: String(id), stream: 'stderr', line: 'two' });
  });

  it('follows a running task with taskwarden logs -f task:ID and ends with the task, after its last line', async () => {
    const workspace = workspaces.create();
    const go = path.join(workspace.dir, 'go');
    const { id } = await launched(workspace, [
      'sh',
      '-c',
      `echo first; echo oops >&2; while [ ! -e ${go} ]; do sleep 0.05; done; echo second; echo last`,
    ]);
    const child = spawn(process.execPath, [CLI, 'logs', '-f', `task:${id}`, '-w', workspace.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => stdout === 'first\n' && stderr === 'oops\n', { what: 'the lines so far' });
      fs.writeFileSync(go, '');
      assert.equal(await exited, 0, stderr);
      assert.equal(stdout, 'first\nsecond\nlast\n');
    } finally {
      child.kill();
    }
  });

  it('refuses a malformed or unknown task with a message and a non-zero exit', async () => {
    const workspace = workspaces.create();
    const malformed = await workspace.cli(['logs', 'task:seven']);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /'task:seven': a task is task:ID, ID a number/);
    const unknown = await workspace.cli(['logs', 'task:99']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no task 99/);
  });
});
