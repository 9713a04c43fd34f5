/**
 * The `watcher` section of taskwarden.yaml with its defaults.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WATCHER_SETTINGS, watcherSettings } from '../../../agent/tasks/settings';

test('without a watcher section reservations last 5 s, there is no default timeout and the history is unlimited', () => {
  assert.deepEqual(watcherSettings({}), { reservationTtlMs: 5000, defaultTimeoutMs: null, historyLimit: null });
  assert.deepEqual(watcherSettings({ watcher: null }), DEFAULT_WATCHER_SETTINGS);
});

test('the watcher section gives seconds, read as milliseconds', () => {
  assert.deepEqual(watcherSettings({ watcher: { reservation_ttl: 1.5, default_timeout: 30, history_limit: 100 } }), {
    reservationTtlMs: 1500,
    defaultTimeoutMs: 30_000,
    historyLimit: 100,
  });
});
