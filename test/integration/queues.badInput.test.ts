/**
 * What a new user's bad input to `taskwarden queue …` gets, through the real CLI and agent:
 * a clear message naming the argument or the --stdin line, a non-zero exit and nothing pushed
 * (an empty --stdin, an --after naming nothing, a failed or forgotten dependency, an id coming
 * back that items wait for, an id a command line cannot take, unknown queues and ids for every
 * verb, bad flags); ids that differ only in unsafe characters keep their own output; an item
 * whose command does not exist says why in its record and in `logs`; waits can give up.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { queueCli as cli, queueOk as ok } from './queues.helpers';
import type { TestWorkspace } from './support/workspace';
import { Workspaces } from './tasks.helpers';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

interface Item {
  id: string;
  state: number;
  error: string | null;
  'time-start': number | null;
  'time-end': number | null;
  stdoutFile: string | null;
}

/** The command fails with exit `code` and a stderr matching `message`. */
async function refused(ws: TestWorkspace, args: string[], message: RegExp, input?: string, code = 1): Promise<void> {
  const result = await cli(ws, args, input);
  assert.equal(result.code, code, `${args.join(' ')} exits ${code}: ${result.stdout}${result.stderr}`);
  assert.match(result.stderr, message, args.join(' '));
  assert.equal(result.stdout, '', `${args.join(' ')} prints nothing on stdout`);
}

async function queuedIds(ws: TestWorkspace): Promise<string[]> {
  return (JSON.parse(await ok(ws, ['queue', 'list', '--json'])) as Item[]).map((item) => item.id);
}

async function record(ws: TestWorkspace, id: string): Promise<Item> {
  return JSON.parse(await ok(ws, ['queue', 'show', id, '--json'])) as Item;
}

describe('queue bad input', () => {
  it('refuses a --stdin push with no item (nothing, or only blank lines) and pushes nothing', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    await refused(ws, ['queue', 'push', 'q', '--stdin'], /^taskwarden: nothing to push: stdin had no items/, '');
    await refused(ws, ['queue', 'push', 'q', '--stdin'], /^taskwarden: nothing to push: stdin had no items/, '\n   \n\n');
    assert.deepEqual(await queuedIds(ws), []);
  });

  it('refuses an --after naming no item, a failed one or one trimmed from the history, naming the argument or line', async () => {
    const ws = workspaces.create('queues:\n  q: {history_limit: 1}\n');
    await refused(
      ws,
      ['queue', 'push', 'q', '--after', 'nope', '--', 'true'],
      /^taskwarden: --after 'nope': no item 'nope' is queued, running or in the history/,
    );
    await refused(
      ws,
      ['queue', 'push', 'q', '--stdin'],
      /^taskwarden: stdin line 3: --after 'zz': no item 'zz'.*nothing was pushed/,
      '["true"]\n\n{"id":"k","cmd":["true"],"after":["zz"]}\n',
    );
    await ok(ws, ['queue', 'push', 'q', '--id', 'bad', '--', 'sh', '-c', 'exit 3']);
    assert.equal((await cli(ws, ['queue', 'wait', 'bad'])).code, 1);
    await refused(
      ws,
      ['queue', 'push', 'q', '--after', 'bad', '--', 'true'],
      /^taskwarden: --after 'bad': dependency bad failed \(Invalid exit code 3\)/,
    );
    // history_limit 1: 'good' pushes 'bad' out of the history, then 'good2' pushes 'good' out.
    await ok(ws, ['queue', 'push', 'q', '--id', 'good', '--', 'true']);
    await ok(ws, ['queue', 'wait', 'good']);
    assert.equal((await ok(ws, ['queue', 'push', 'q', '--id', 'after-good', '--after', 'good', '--', 'true'])).trim(), 'after-good');
    await ok(ws, ['queue', 'wait', 'after-good']);
    await refused(
      ws,
      ['queue', 'push', 'q', '--after', 'good', '--', 'true'],
      /--after 'good': .*trimmed from the history by history_limit, so whether it ended well is unknown/,
    );
    assert.deepEqual(await queuedIds(ws), [], 'nothing refused was pushed');
  });

  it('runs an item --after one of another queue once it ended well, and refuses an id coming back that would close a cycle', async () => {
    const ws = workspaces.create('queues:\n  a: {}\n  b: {}\n');
    await ok(ws, ['queue', 'pause', 'a']);
    await ok(ws, ['queue', 'push', 'a', '--id', 'x', '--', 'true']);
    await ok(ws, ['queue', 'push', 'b', '--id', 'y', '--after', 'x', '--', 'true']);
    await ok(ws, ['queue', 'resume', 'a']);
    await ok(ws, ['queue', 'wait', 'y']);
    const [x, y] = [await record(ws, 'x'), await record(ws, 'y')];
    assert.equal(y.state, 2);
    assert.ok(y['time-start']! >= x['time-end']!, `y started (${y['time-start']}) after x ended (${x['time-end']})`);

    // 'x' ended well; 'y2' waits for it (satisfied) in paused 'b'. Pushing 'x' again --after 'y2' would make each wait for the other.
    await ok(ws, ['queue', 'pause', 'b']);
    await ok(ws, ['queue', 'push', 'b', '--id', 'y2', '--after', 'x', '--', 'true']);
    await refused(ws, ['queue', 'push', 'a', '--id', 'x', '--after', 'y2', '--', 'true'], /'x' would close a cycle of --after: x → y2 → x/);
    await refused(ws, ['queue', 'push', 'b', '--id', 'x', '--', 'true'], /'y2' waits for 'x' \(--after\) and is queued before it in 'b'/);
    assert.deepEqual(await queuedIds(ws), ['y2'], 'nothing refused was pushed');
    await ok(ws, ['queue', 'clear', 'b']);
  });

  it('keeps in the history, past history_limit, the end of an item that queued items wait for', async () => {
    const ws = workspaces.create('queues:\n  a: {history_limit: 1}\n  b: {}\n');
    await ok(ws, ['queue', 'pause', 'b']);
    await ok(ws, ['queue', 'push', 'a', '--id', 'x', '--', 'true']);
    await ok(ws, ['queue', 'push', 'b', '--id', 'y', '--after', 'x', '--', 'true']);
    await ok(ws, ['queue', 'push', 'a', '--stdin'], '["true"]\n["true"]\n');
    await ok(ws, ['queue', 'wait-empty', 'a']);
    await ok(ws, ['queue', 'resume', 'b']);
    await ok(ws, ['queue', 'wait', 'y']);
    assert.equal((await record(ws, 'y')).state, 2, 'x ended well, so y ran');
    // Once y started nothing waits for x: the next end in 'a' trims it.
    await ok(ws, ['queue', 'push', 'a', '--', 'true']);
    await ok(ws, ['queue', 'wait-empty', 'a']);
    await refused(ws, ['queue', 'show', 'x'], /no queue item 'x'/);
  });

  it('keeps apart the output of ids that differ only in characters a file name cannot keep', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    await ok(ws, ['queue', 'push', 'q', '--id', 'a/b', '--', 'echo', 'slash']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'a_b', '--', 'echo', 'underscore']);
    await ok(ws, ['queue', 'wait-empty', 'q']);
    assert.equal(await ok(ws, ['logs', 'queue:a/b']), 'slash\n');
    assert.equal(await ok(ws, ['logs', 'queue:a_b']), 'underscore\n');
    assert.notEqual((await record(ws, 'a/b')).stdoutFile, (await record(ws, 'a_b')).stdoutFile);
  });

  it('refuses ids that a command line would read as an option or that hold a control character', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    await refused(ws, ['queue', 'push', 'q', '--id', '-x', '--', 'true'], /the id '-x' starts with '-'/);
    await refused(
      ws,
      ['queue', 'push', 'q', '--stdin'],
      /^taskwarden: stdin line 2: the id "a\\tb" has a control character/,
      '["true"]\n{"id":"a\\tb","cmd":["true"]}\n',
    );
    assert.deepEqual(await queuedIds(ws), []);
  });

  it('records why an item whose command does not exist failed, and logs says it', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    await ok(ws, ['queue', 'push', 'q', '--id', 'ghost', '--', '/no/such/command']);
    assert.equal((await cli(ws, ['queue', 'wait', 'ghost'])).code, 1);
    const ghost = await record(ws, 'ghost');
    assert.equal(ghost.state, -1);
    assert.match(ghost.error ?? '', /\/no\/such\/command/);
    await refused(ws, ['logs', 'queue:ghost'], /^taskwarden: queue item 'ghost' did not run: .*\/no\/such\/command/);
  });

  it('gives up a wait or a wait-empty after --timeout with exit 1, and refuses a bad --timeout', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    await ok(ws, ['queue', 'pause', 'q']);
    await ok(ws, ['queue', 'push', 'q', '--id', 'held', '--', 'true']);
    await refused(ws, ['queue', 'wait', 'held', '--timeout', '0.3'], /^taskwarden: item 'held' did not end within 0.3 s/);
    await refused(ws, ['queue', 'wait', 'held', '--start', '--timeout', '0.3'], /^taskwarden: item 'held' did not start within 0.3 s/);
    await refused(ws, ['queue', 'wait-empty', 'q', '--timeout', '0.3'], /^taskwarden: queue 'q' was not empty within 0.3 s/);
    await refused(ws, ['queue', 'wait', 'held', '--timeout', 'soon'], /--timeout <seconds>' argument 'soon' is invalid/, undefined, 2);
    await ok(ws, ['queue', 'resume', 'q']);
    await ok(ws, ['queue', 'wait', 'held', '--timeout', '30']);
  });

  it('names the unknown queue or id for every verb, and refuses bad flags', async () => {
    const ws = workspaces.create('queues:\n  q: {}\n');
    const noQueue = /no queue 'zz' in the config \(the queues are: q; or set settings.queues_auto: true\)/;
    for (const verb of ['pause', 'resume', 'clear', 'wait-empty', 'list', 'history']) await refused(ws, ['queue', verb, 'zz'], noQueue);
    await refused(ws, ['queue', 'push', 'zz', '--', 'true'], noQueue);
    for (const args of [
      ['show', 'nope'],
      ['remove', 'nope'],
      ['kill', 'nope'],
      ['retry', 'nope'],
      ['move', 'nope', '--first'],
      ['wait', 'nope'],
    ])
      await refused(ws, ['queue', ...args], /'nope'/);
    await refused(ws, ['logs', 'queue:nope'], /no queue item 'nope'/);
    await refused(ws, ['queue', 'push', 'q', '--env', 'FOO', '--', 'true'], /invalid --env "FOO": expected NAME=VALUE/, undefined, 2);
    await refused(ws, ['queue', 'push', 'q', '--bogus', '--', 'true'], /unknown option '--bogus'/, undefined, 2);
    await refused(ws, ['queue', 'push', 'q'], /give the command after --, or --stdin/, undefined, 2);
    assert.deepEqual(await queuedIds(ws), []);
  });
});
