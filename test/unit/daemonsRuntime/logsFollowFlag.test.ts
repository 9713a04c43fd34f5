import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rewriteLogsFollowFlag } from '../../../agent/cli/commands/logs';

describe('taskwarden logs -f', () => {
  it('reads -f as --follow after logs, and as --config anywhere else', () => {
    assert.deepEqual(rewriteLogsFollowFlag(['logs', 'web', '-f']), ['logs', 'web', '--follow']);
    assert.deepEqual(rewriteLogsFollowFlag(['-w', 'dir', '-f', 'other.yaml', 'logs', '-f', 'web']), [
      '-w',
      'dir',
      '-f',
      'other.yaml',
      'logs',
      '--follow',
      'web',
    ]);
    assert.deepEqual(rewriteLogsFollowFlag(['-f', 'x.yaml', 'ps']), ['-f', 'x.yaml', 'ps']);
    assert.deepEqual(rewriteLogsFollowFlag(['check', '-f', 'x.yaml']), ['check', '-f', 'x.yaml']);
  });
});
