import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { readQueuesConfig } from '../../../agent/queues/config/queuesConfig';
import { loadConfig } from '../../../agent/workspaceConfig';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

describe('the queues section', () => {
  it('reads workdir (relative to the workspace), env and concurrency, with defaults', () => {
    const { diagnostics, value } = readQueuesConfig(
      { queues: { build: { workdir: 'out', env: { A: 1, B: 'x' }, concurrency: 3 }, plain: null }, settings: { queues_auto: true } },
      context,
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(value.queues.get('build'), { name: 'build', workdir: '/ws/out', env: { A: '1', B: 'x' }, concurrency: 3 });
    assert.deepEqual(value.queues.get('plain'), { name: 'plain', workdir: '/ws', env: {}, concurrency: 1 });
    assert.equal(value.auto, true);
  });

  it('names the file and line of a bad value', () => {
    const result = loadConfig({ file: 'taskwarden.yaml', text: 'queues:\n  build:\n    concurrency: 0\n    colour: red\n', context });
    assert.equal(result.ok, false);
    const problems = result.diagnostics.map(formatDiagnostic);
    assert.ok(
      problems.some((problem) => problem.startsWith('taskwarden.yaml:3:')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => problem.startsWith('taskwarden.yaml:4:')),
      problems.join('\n'),
    );
  });

  it('rejects a bad queue name and a non-boolean queues_auto', () => {
    const { diagnostics } = readQueuesConfig({ queues: { 'a b': {} }, settings: { queues_auto: 'yes' } }, context);
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.path.join('.')),
      ['queues.a b', 'settings.queues_auto'],
    );
  });
});
