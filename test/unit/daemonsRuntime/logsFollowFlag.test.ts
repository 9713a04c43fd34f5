import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rewriteFollowFlag } from '../../../agent/cli/commands/logs';
import { buildProgram } from '../../../agent/taskwarden';

describe('taskwarden logs -f', () => {
  const rewrite = (argv: string[]): string[] => rewriteFollowFlag(buildProgram(), argv);

  it('reads -f as --follow after logs, and as --config anywhere else', () => {
    assert.deepEqual(rewrite(['logs', 'web', '-f']), ['logs', 'web', '--follow']);
    assert.deepEqual(rewrite(['-w', 'dir', '-f', 'other.yaml', 'logs', '-f', 'web']), [
      '-w',
      'dir',
      '-f',
      'other.yaml',
      'logs',
      '--follow',
      'web',
    ]);
    assert.deepEqual(rewrite(['-f', 'x.yaml', 'ps']), ['-f', 'x.yaml', 'ps']);
    assert.deepEqual(rewrite(['check', '-f', 'x.yaml']), ['check', '-f', 'x.yaml']);
  });

  it('reads -f as --follow after task logs too, found through the subcommands', () => {
    assert.deepEqual(rewrite(['task', 'logs', '7', '-f']), ['task', 'logs', '7', '--follow']);
    assert.deepEqual(rewrite(['-f', 'x.yaml', 'task', 'list']), ['-f', 'x.yaml', 'task', 'list']);
  });
});
