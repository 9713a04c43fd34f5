import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { describe, test } from 'node:test';
import { parseSignal } from '../../../agent/daemons/config/signals';

describe('signal names', () => {
  test("every form taskforce's signum accepts names the same signal", () => {
    for (const written of ['HUP', 'hup', 'SIGHUP', 'sighup', 'SigHup', 1, '1', ' HUP ']) {
      assert.deepEqual(parseSignal(written), { ok: true, value: 'SIGHUP' }, String(written));
    }
  });

  test('numbers follow this platform', () => {
    assert.deepEqual(parseSignal(constants.signals.SIGUSR1), { ok: true, value: 'SIGUSR1' });
    assert.deepEqual(parseSignal(15), { ok: true, value: 'SIGTERM' });
    assert.deepEqual(parseSignal(9), { ok: true, value: 'SIGKILL' });
  });

  test('unknown names and numbers are errors with a reason and a hint', () => {
    for (const written of ['HANGUP', 'SIG', '', 999, 1.5, null, {}]) {
      const result = parseSignal(written);
      assert.equal(result.ok, false, JSON.stringify(written));
      assert.equal(!result.ok && result.error.reason, 'unknown-signal');
      assert.match(!result.ok ? result.error.message : '', /write e\.g\. HUP/);
    }
  });
});
