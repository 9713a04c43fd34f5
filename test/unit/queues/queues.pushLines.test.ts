import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvAssignment, parsePushLines } from '../../../agent/queues/cli/pushLines';

describe('queue push --stdin lines', () => {
  it('reads argv arrays and objects in order, skipping blank lines', () => {
    const text = '["echo","a"]\n\n{"id":"b","cmd":["echo","b"],"cwd":"sub","env":{"K":"v"},"after":["x"]}\n';
    assert.deepEqual(parsePushLines(text), {
      ok: true,
      items: [{ cmd: ['echo', 'a'] }, { id: 'b', cmd: ['echo', 'b'], cwd: 'sub', env: { K: 'v' }, after: ['x'] }],
    });
  });

  it('names the bad line: not JSON, empty command, unknown key, bad env', () => {
    assert.match((parsePushLines('["ok"]\n{oops\n') as { message: string }).message, /^stdin line 2: not JSON/);
    assert.deepEqual(parsePushLines('[]\n'), { ok: false, message: 'stdin line 1: the command is empty' });
    assert.deepEqual(parsePushLines('["a"]\n["b"]\n{"cmd":["c"],"idd":"x"}'), {
      ok: false,
      message: "stdin line 3: unknown key 'idd' (expected id, cmd, cwd, env, after)",
    });
    assert.deepEqual(parsePushLines('{"cmd":["c"],"env":{"K":1}}'), { ok: false, message: "stdin line 1: 'env.K' must be a string" });
  });

  it('splits --env at the first =', () => {
    assert.deepEqual(parseEnvAssignment('K=a=b'), ['K', 'a=b']);
    assert.equal(parseEnvAssignment('=x'), null);
    assert.equal(parseEnvAssignment('K'), null);
  });
});
