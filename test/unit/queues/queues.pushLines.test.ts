import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import { atLine, parseEnvAssignment, parsePushLines } from '../../../agent/queues/cli/pushLines';

describe('queue push --stdin lines', () => {
  it('reads argv arrays and objects in order, skipping blank lines', () => {
    const text = '["echo","a"]\n\n{"id":"b","cmd":["echo","b"],"cwd":"sub","env":{"K":"v"},"after":["x"]}\n';
    assert.deepEqual(parsePushLines(text), {
      ok: true,
      value: {
        items: [{ cmd: ['echo', 'a'] }, { id: 'b', cmd: ['echo', 'b'], cwd: 'sub', env: { K: 'v' }, after: ['x'] }],
        lines: [1, 3],
      },
    });
  });

  it('names the bad line: not JSON, empty command, unknown key, bad env', () => {
    const bad = (message: string) => ({ ok: false, error: { reason: 'bad-line', message } });
    const notJson = parsePushLines('["ok"]\n{oops\n');
    assert.match(notJson.ok ? '' : notJson.error.message, /^stdin line 2: not JSON/);
    assert.deepEqual(parsePushLines('[]\n'), bad('stdin line 1: the command is empty'));
    assert.deepEqual(
      parsePushLines('["a"]\n["b"]\n{"cmd":["c"],"idd":"x"}'),
      bad("stdin line 3: unknown key 'idd' (expected id, cmd, cwd, env, after)"),
    );
    assert.deepEqual(parsePushLines('{"cmd":["c"],"env":{"K":1}}'), bad("stdin line 1: 'env.K' must be a string"));
    assert.deepEqual(
      parsePushLines('{"id":"d","cmd":["c"]}\n\n["x"]\n{"id":"d","cmd":["c"]}'),
      bad("stdin line 4: the id 'd' is given again (first on line 1)"),
    );
  });

  it('refuses an input with no item at all: nothing, or only blank lines', () => {
    const none = { ok: false, error: { reason: 'no-items', message: 'nothing to push: stdin had no items (only blank lines or nothing)' } };
    assert.deepEqual(parsePushLines(''), none);
    assert.deepEqual(parsePushLines('\n  \n\t\n'), none);
  });

  it('names the line of an item the agent refused (its data.item), and leaves other errors alone', () => {
    const refused = new ResponseError(-32001, "item 2: an item 'd' is already queued or running", { item: 1 });
    const named = atLine(refused, [1, 4]);
    assert.ok(named instanceof Error);
    assert.equal(named.message, "stdin line 4: an item 'd' is already queued or running");
    const other = new ResponseError(-32001, 'no queue');
    assert.equal(atLine(other, [1]), other);
  });

  it('splits --env at the first =', () => {
    assert.deepEqual(parseEnvAssignment('K=a=b'), ['K', 'a=b']);
    assert.equal(parseEnvAssignment('=x'), null);
    assert.equal(parseEnvAssignment('K'), null);
  });
});
