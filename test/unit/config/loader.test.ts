import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { loadConfig } from '../../../agent/workspaceConfig';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

function problems(text: string): string[] {
  return diagnosticsOf(loadConfig({ file: 'taskwarden.yaml', text, context })).map(formatDiagnostic);
}

describe('the config loader', () => {
  for (const [what, text] of [
    ['an empty file', ''],
    ['a file of blank lines', '\n  \n\n'],
    ['a file of comments only', '# tasks:\n#   web: {commands: {start: [web]}}\n'],
    ['a document marker without content', '---\n# nothing yet\n'],
  ]) {
    it(`rejects ${what}: it is not applied, and the message says how to run nothing on purpose`, () => {
      const result = loadConfig({ file: 'taskwarden.yaml', text: text!, context });
      assert.deepEqual(result.ok ? 'accepted' : [result.error.reason, result.error.message], ['empty', '1 error']);
      assert.deepEqual(diagnosticsOf(result).map(formatDiagnostic), [
        "taskwarden.yaml:1:1: error: the config is empty (only blank lines or comments): it is not applied and the running config stays; write 'tasks: {}' to run no daemons",
      ]);
    });
  }

  it("accepts an explicitly empty config: 'tasks: {}' or '{}'", () => {
    for (const text of ['tasks: {}\n', '# on purpose\n{}\n']) {
      const result = loadConfig({ file: 'taskwarden.yaml', text, context });
      assert.equal(result.ok, true, text);
      assert.deepEqual(diagnosticsOf(result), [], text);
    }
  });

  it('rejects a document that is an explicit null, which is not a mapping of sections', () => {
    assert.deepEqual(problems('~\n'), ['taskwarden.yaml:1:1: error: the config must be a mapping of sections (tasks, queues, jobs…)']);
  });

  it('reports a YAML syntax error at its exact line and column', () => {
    assert.deepEqual(problems('queues:\n  q1: {workdir: /tmp\n'), [
      'taskwarden.yaml:3:1: error: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  it('reports a duplicate key where the second one stands', () => {
    assert.deepEqual(problems('queues:\n  a: {}\n  a: {}\n'), ['taskwarden.yaml:3:3: error: Map keys must be unique']);
  });

  it('reports an unknown top-level key at the key', () => {
    assert.deepEqual(problems('tasks: {}\n\nbogus: 1\n'), ["taskwarden.yaml:3:1: error: unknown top-level key 'bogus'"]);
  });

  it('reports a wrong type at the value, naming the path', () => {
    assert.deepEqual(problems('watcher:\n  reservation_ttl: soon\n'), [
      'taskwarden.yaml:2:20: error: watcher.reservation_ttl must be number',
    ]);
  });

  it('reports an unknown key inside a section at that key', () => {
    assert.deepEqual(problems('watcher:\n  reservation_ttl: 5\n  colour: red\n'), [
      "taskwarden.yaml:3:3: error: unknown key in watcher: 'colour'",
    ]);
  });

  it('reports a missing required key at the owning key', () => {
    assert.deepEqual(problems('tasks:\n  web:\n    count: 1\n'), [
      "taskwarden.yaml:2:3: error: tasks.web is missing required key 'commands'",
    ]);
  });

  it('reports every problem, sorted by position', () => {
    const found = problems('zeta: 1\nwatcher:\n  history_limit: 0\nalpha: 2\n');
    assert.deepEqual(
      found.map((line) => line.split(': error')[0]),
      ['taskwarden.yaml:1:1', 'taskwarden.yaml:3:18', 'taskwarden.yaml:4:1'],
    );
  });

  it('rejects a document that is not a mapping', () => {
    assert.deepEqual(problems('- a\n- b\n'), [
      'taskwarden.yaml:1:1: error: the config must be a mapping of sections (tasks, queues, jobs…)',
    ]);
  });

  it('accepts YAML flow style with single-quoted keys and comments, as taskforce files use', () => {
    const result = loadConfig({ file: 'f.conf', text: "{\n  # comment\n  'queues': { 'q': { 'concurrency': 2 } },\n}\n", context });
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.value.config.data, { queues: { q: { concurrency: 2 } } });
  });
});
