import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Part, PartHealth } from '../../../agent/core/part';
import { computeHealth } from '../../../agent/server/health';

function partWith(health: PartHealth): Part {
  return {
    name: 'daemons',
    start: async () => undefined,
    applyConfig: async () => undefined,
    counts: () => ({}),
    health: () => health,
    stop: async () => undefined,
  };
}

describe('the health the status bar shows', () => {
  test('is all good with no problems, and sums the parts counters', () => {
    const parts = [partWith({ summary: { running: 2 }, problems: [] }), partWith({ summary: { running: 1, failed: 1 }, problems: [] })];
    assert.deepEqual(computeHealth(parts, 0, true), { level: 'ok', message: 'all good', summary: { running: 3, failed: 1 } });
  });

  test('says the last good config runs only when one was applied', () => {
    const parts = [partWith({ summary: {}, problems: [] })];
    assert.equal(computeHealth(parts, 2, true).message, 'taskwarden.yaml has 2 errors; the last good config is running');
    assert.equal(computeHealth(parts, 1, false).message, 'taskwarden.yaml has 1 error; no config is applied yet');
  });

  test('shows the worst problem first and counts the others', () => {
    const parts = [partWith({ summary: {}, problems: [{ level: 'error', message: 'web:0 crash loop' }] })];
    const health = computeHealth(parts, 1, true);
    assert.equal(health.level, 'error');
    assert.equal(health.message, 'web:0 crash loop (+1 more)');
  });
});
