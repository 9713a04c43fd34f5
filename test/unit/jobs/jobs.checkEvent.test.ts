/**
 * The check event's shape (Canopsis' task handler event) and how a handler's
 * answer is checked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkedOutcome, checkEvent } from '../../../agent/jobs/checkEvent';

describe('the check event', () => {
  it('has Canopsis’ keys, times in seconds, state_type 1, and perf_data only when there is some', () => {
    const event = checkEvent('backup', 'command', { state: 1, output: 'slow' }, 1_700_000_000_000, 1_700_000_000_250);
    assert.deepEqual(event, {
      timestamp: 1_700_000_000.25,
      connector: 'taskwarden',
      connector_name: 'command',
      event_type: 'check',
      source_type: 'resource',
      component: 'job',
      resource: 'backup',
      state: 1,
      state_type: 1,
      output: 'slow',
      execution_time: 0.25,
    });
    const perf = [{ label: 'time', value: 0.1, uom: 's', warn: null, crit: null, min: 0, max: null }];
    assert.deepEqual(checkEvent('web', 'http', { state: 0, output: 'HTTP 200 in 100 ms', perfData: perf }, 0, 100).perf_data, perf);
  });
});

describe("a handler's answer", () => {
  it('is UNKNOWN, saying why, when the state is not 0-3 or it is no object', () => {
    assert.deepEqual(checkedOutcome({ state: 2, output: 'down' }), { state: 2, output: 'down' });
    assert.equal(checkedOutcome({ state: 5, output: 'x' }).state, 3);
    assert.match(checkedOutcome({ state: 5 }).output, /bad state from the handler: 5/);
    assert.match(checkedOutcome(undefined).output, /bad return value from the handler/);
    assert.deepEqual(checkedOutcome({ state: 0 }), { state: 0, output: '' });
  });
});
