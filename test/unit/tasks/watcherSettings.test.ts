/**
 * The `watcher` section of taskwarden.yaml with its defaults.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WATCHER_SETTINGS, watcherSettings } from '../../../agent/tasks/config/watcherSettings';

test('without a watcher section reservations last 5 s, there is no default timeout, the history is unlimited and logs rotate at 10 MiB keeping 3', () => {
  assert.deepEqual(watcherSettings({}), {
    reservationTtlMs: 5000,
    defaultTimeoutMs: null,
    historyLimit: null,
    logs: { maxBytes: 10 * 1024 * 1024, keep: 3 },
  });
  assert.deepEqual(watcherSettings({ watcher: null }), DEFAULT_WATCHER_SETTINGS);
});

test('the watcher section gives seconds, read as milliseconds', () => {
  assert.deepEqual(watcherSettings({ watcher: { reservation_ttl: 1.5, default_timeout: 30, history_limit: 100 } }), {
    reservationTtlMs: 1500,
    defaultTimeoutMs: 30_000,
    historyLimit: 100,
    logs: { maxBytes: 10 * 1024 * 1024, keep: 3 },
  });
});

test('watcher.logs sets the rotation of task output; a missing field keeps its default', () => {
  assert.deepEqual(watcherSettings({ watcher: { logs: { max_bytes: 4096, keep: 0 } } }).logs, { maxBytes: 4096, keep: 0 });
  assert.deepEqual(watcherSettings({ watcher: { logs: { keep: 7 } } }).logs, { maxBytes: 10 * 1024 * 1024, keep: 7 });
});
