import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvLine } from '../../../extension/queues/queueEnvLine';

describe("Push Command…'s environment line", () => {
  it('reads NAME=VALUE words, quotes honoured, an empty line as none', () => {
    assert.deepEqual(parseEnvLine(''), { ok: true, env: {} });
    assert.deepEqual(parseEnvLine('A=1 B="two words" C='), { ok: true, env: { A: '1', B: 'two words', C: '' } });
  });

  it('names the word that is not NAME=VALUE', () => {
    assert.deepEqual(parseEnvLine('A=1 oops'), { ok: false, message: '"oops" is not NAME=VALUE' });
    assert.deepEqual(parseEnvLine('1A=x'), { ok: false, message: '"1A=x" is not NAME=VALUE' });
  });
});
