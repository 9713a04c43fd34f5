import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { DEFAULT_HISTORY_LIMIT, readQueuesConfig } from '../../../agent/queues/config/queuesConfig';
import { loadConfig } from '../../../agent/workspaceConfig';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

describe('the queues section', () => {
  it('reads workdir (relative to the workspace), env, concurrency and history_limit, with defaults', () => {
    const { diagnostics, value } = readQueuesConfig(
      {
        queues: { build: { workdir: 'out', env: { A: 1, B: 'x' }, concurrency: 3, history_limit: 20 }, plain: null },
        settings: { queues_auto: true },
      },
      context,
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(value.queues.get('build'), {
      name: 'build',
      workdir: '/ws/out',
      env: { A: '1', B: 'x' },
      concurrency: 3,
      historyLimit: 20,
    });
    assert.deepEqual(value.queues.get('plain'), {
      name: 'plain',
      workdir: '/ws',
      env: {},
      concurrency: 1,
      historyLimit: DEFAULT_HISTORY_LIMIT,
    });
    assert.equal(value.auto, true);
  });

  it('names the file and line of a bad value', () => {
    const result = loadConfig({ file: 'taskwarden.yaml', text: 'queues:\n  build:\n    concurrency: 0\n    colour: red\n', context });
    assert.equal(result.ok, false);
    const problems = diagnosticsOf(result).map(formatDiagnostic);
    assert.ok(
      problems.some((problem) => problem.startsWith('taskwarden.yaml:3:')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((problem) => problem.startsWith('taskwarden.yaml:4:')),
      problems.join('\n'),
    );
  });

  it('refuses a workdir that is a file, or under one, and lets a missing one be (it is created)', () => {
    const kinds: Record<string, 'folder' | 'file'> = { '/': 'folder', '/ws': 'folder', '/ws/notes.txt': 'file', '/ws/out': 'folder' };
    const withFiles: CheckContext = { ...context, pathKind: (absolutePath) => kinds[absolutePath] ?? null };
    const { diagnostics, value } = readQueuesConfig(
      { queues: { a: { workdir: 'notes.txt' }, b: { workdir: 'notes.txt/sub' }, c: { workdir: 'out/new/deeper' }, d: { workdir: 'out' } } },
      withFiles,
    );
    assert.deepEqual(
      diagnostics.map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`),
      [
        'queues.a.workdir: workdir notes.txt is a file, not a folder',
        'queues.b.workdir: workdir notes.txt/sub: notes.txt is a file, not a folder',
      ],
    );
    assert.deepEqual([...value.queues.keys()], ['c', 'd']);
    const result = loadConfig({ file: 'taskwarden.yaml', text: 'queues:\n  a:\n    workdir: notes.txt\n', context: withFiles });
    assert.deepEqual(diagnosticsOf(result).map(formatDiagnostic), [
      'taskwarden.yaml:3:14: error: workdir notes.txt is a file, not a folder',
    ]);
  });

  it('rejects a bad queue name, a bad history_limit and a non-boolean queues_auto', () => {
    const { diagnostics } = readQueuesConfig(
      { queues: { 'a b': {}, c: { history_limit: 0 }, d: { history_limit: 'all' } }, settings: { queues_auto: 'yes' } },
      context,
    );
    assert.deepEqual(
      diagnostics.map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`),
      [
        "queues.a b: queue name 'a b': letters, digits, '_', '.', '-' only",
        'queues.c.history_limit: history_limit must be an integer of at least 1',
        'queues.d.history_limit: history_limit must be an integer of at least 1',
        'settings.queues_auto: queues_auto must be true or false',
      ],
    );
  });
});
