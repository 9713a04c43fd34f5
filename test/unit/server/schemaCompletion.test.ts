import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionItem } from 'vscode-languageserver';
import { schemaCompletions } from '../../../agent/server/schemaCompletion';
import composedSchema from '../../../schemas/taskwarden.schema.json';
import { withCursor } from './cursorText';

function complete(marked: string): CompletionItem[] {
  const { text, line, character } = withCursor(marked);
  return schemaCompletions(text, line, character);
}

function labels(marked: string): string[] {
  return complete(marked).map((item) => item.label);
}

function insert(marked: string, label: string): string | undefined {
  const item = complete(marked).find((candidate) => candidate.label === label);
  return item?.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : undefined;
}

const DAEMON = 'tasks:\n  web:\n    commands: {start: [web]}\n';

describe('completion of keys and values from the JSON Schema', () => {
  it('offers every top-level section in an empty file, each a block to fill', () => {
    // Every section of the composed schema, in its order (agent/parts.ts's): the daemons' first.
    const offered = labels('‸');
    assert.deepEqual(offered, Object.keys(composedSchema.properties));
    assert.deepEqual(offered.slice(0, 7), ['tasks', 'settings', 'defines', 'role_defines', 'defaults', 'role_defaults', 'watcher']);
    for (const section of ['groups', 'queues', 'jobs', 'handlers']) assert.ok(offered.includes(section), section);
    assert.equal(insert('‸', 'queues'), 'queues:\n  $0');
  });

  it('leaves out the sections the file already has, and replaces the word being typed', () => {
    const items = complete('tasks: {}\nque‸\njobs: {}\n');
    assert.ok(!items.some((item) => item.label === 'tasks' || item.label === 'jobs'));
    const queues = items.find((item) => item.label === 'queues');
    assert.deepEqual(queues?.textEdit && 'range' in queues.textEdit ? queues.textEdit.range : null, {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 3 },
    });
  });

  it("offers a daemon's keys under its name, without those it has, with the schema's description as documentation", () => {
    const items = complete(`${DAEMON}    ‸\n`);
    const names = items.map((item) => item.label);
    assert.ok(names.includes('requires') && names.includes('ready') && names.includes('stop_signal'), names.join(', '));
    assert.ok(!names.includes('commands'));
    const requires = items.find((item) => item.label === 'requires');
    assert.deepEqual(requires?.documentation, {
      kind: 'markdown',
      value: "Tasks that must be started (a 'once' task: finished) before this one starts; a name or a list.",
    });
  });

  it('inserts an enum key with a choice of its values, a list key with its first item, a mapping key with an indented block', () => {
    assert.equal(insert(`${DAEMON}    ‸`, 'control'), 'control: ${1|wait,once,event,suspend,off,nowait,adopt|}');
    assert.equal(insert(`${DAEMON}    ‸`, 'events'), 'events:\n  - $0');
    assert.equal(insert(`${DAEMON}    ‸`, 'ready'), 'ready:\n  $0');
    assert.equal(insert(`${DAEMON}    ‸`, 'env_file'), 'env_file: $0');
  });

  it('offers the keys of a mapping nested deeper (restart.crash_loop) and of a list item (an event)', () => {
    assert.deepEqual(labels(`${DAEMON}    restart:\n      crash_loop:\n        ‸`), ['count', 'window']);
    assert.deepEqual(labels(`${DAEMON}    events:\n      - ‸`), ['type', 'path', 'command', 'signal']);
    assert.deepEqual(labels(`${DAEMON}    events:\n      - type: self\n        ‸`), ['path', 'command', 'signal']);
  });

  it('offers the keys of a flow mapping after its brace or a comma', () => {
    assert.deepEqual(labels('tasks:\n  web: {commands: {start: [web]}, ‸}').slice(0, 3), ['control', 'count', 'requires']);
    // On one line: no block after a mapping's key.
    assert.equal(insert('tasks:\n  web: {commands: {start: [web]}, ‸}', 'ready'), 'ready: $0');
    assert.deepEqual(labels('tasks:\n  web: {commands: {start: [web]}}\njobs:\n  j: {‸}'), [
      'task',
      'schedule',
      'params',
      'time_limit',
      'enabled',
      'catch_up',
      'run_on_start',
    ]);
  });

  it('offers the values of an enum after its key, also half typed, and true/false for a boolean', () => {
    assert.deepEqual(labels(`${DAEMON}    control: ‸`), ['wait', 'once', 'event', 'suspend', 'off', 'nowait', 'adopt']);
    assert.deepEqual(labels(`${DAEMON}    control: on‸`), ['wait', 'once', 'event', 'suspend', 'off', 'nowait', 'adopt']);
    assert.deepEqual(labels(`${DAEMON}    events:\n      - type: ‸`), ['file_change', 'self', 'python', 'restart', 'stop']);
    assert.deepEqual(labels('jobs:\n  nightly:\n    task: noop\n    catch_up: ‸'), ['one', 'none']);
    assert.deepEqual(labels('jobs:\n  nightly:\n    task: noop\n    enabled: ‸'), ['true', 'false']);
    assert.deepEqual(labels('settings:\n  queues_auto: ‸'), ['true', 'false']);
  });

  it('offers nothing in a comment, in a free-form value, or under a name the user chooses', () => {
    assert.deepEqual(labels(`${DAEMON}    # con‸`), []);
    assert.deepEqual(labels(`${DAEMON}    cwd: ‸`), []);
    assert.deepEqual(labels('tasks:\n  ‸'), []);
  });
});
