import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvAssignment, parsePushLines } from '../../../agent/queues/cli/pushLines';

describe('queue push --stdin lines', () => {
  it('reads argv arrays and objects in order, skipping blank lines', () => {
    const text = '["echo","a"]\n\n{"id":"b","cmd":["echo","b"],"cwd":"sub","env":{"K":"v"},"after":["x"]}\n';
    assert.deepEqual(parsePushLines(text), {
      ok: true,
      value: [{ cmd: ['echo', 'a'] }, { id: 'b', cmd: ['echo', 'b'], cwd: 'sub', env: { K: 'v' }, after: ['x'] }],
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
  });

  it('splits --env at the first =', () => {
    assert.deepEqual(parseEnvAssignment('K=a=b'), ['K', 'a=b']);
    assert.equal(parseEnvAssignment('=x'), null);
    assert.equal(parseEnvAssignment('K'), null);
  });
});
