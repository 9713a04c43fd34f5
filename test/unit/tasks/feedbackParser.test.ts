/**
 * The feedback grammar on whole files: taskwatcher's own test files, then one
 * edge case per rule of the grammar (see agent/tasks/feedbackParser.ts).
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parseFeedback, parseFeedbackLine } from '../../../agent/tasks/feedbackParser';

const FIXTURES = join(import.meta.dirname, '../../fixtures/feedback');
const TASKWATCHER = join(FIXTURES, 'taskwatcher');

/** Key/value pairs in their expected order, so order is checked too. */
type Entries = [string, string][];

const readFixture = (path: string): Buffer => readFileSync(path);
const entriesOf = (input: string | Buffer): Entries => Object.entries(parseFeedback(input));

/** Expected results of taskwatcher's test files (copied from its repository). */
const TASKWATCHER_EXPECTED: Record<string, Entries> = {
  'readme_example_feedback.log': [
    ['playbook', 'myPlaybook'],
    ['testcase_id', '002'],
    ['testcase_name', 'Setting up topology'],
    ['progress', '10'],
  ],
  'textfile_progress.txt': [['progress', '100']],
  'textfile_mixed.txt': [
    ['animal', 'dog'],
    ['person', 'joe'],
    ['town', 'Paris'],
    ['date_unix', '1588791309'],
    ['date_long', 'Wed 06 May 2020 08:56:15 PM CEST'],
    ['jsample', '{ "items" : { "item1" : "suitcase", "item2" : "umbrella"} }'],
    ['progress', '60'],
    ['name', 'Paul Emile Victor de la Petaudiere'],
  ],
};

describe('taskwatcher test files', () => {
  test('every taskwatcher file has an expected result', () => {
    assert.deepEqual(readdirSync(TASKWATCHER).sort(), Object.keys(TASKWATCHER_EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(TASKWATCHER_EXPECTED)) {
    test(`${file} parses to its exact expected object, in order`, () => {
      assert.deepEqual(entriesOf(readFixture(join(TASKWATCHER, file))), expected);
    });
  }

  test('the README example gives the JSON the README shows', () => {
    const values = parseFeedback(readFixture(join(TASKWATCHER, 'readme_example_feedback.log')));
    assert.equal(
      JSON.stringify(values),
      '{"playbook":"myPlaybook","testcase_id":"002","testcase_name":"Setting up topology","progress":"10"}',
    );
  });

  test('a string and a buffer of the same file parse alike', () => {
    const bytes = readFixture(join(TASKWATCHER, 'textfile_mixed.txt'));
    assert.deepEqual(entriesOf(bytes.toString('utf8')), entriesOf(bytes));
  });
});

describe('grammar edge cases', () => {
  test('the grammar tour fixture applies every rule but the clear-all', () => {
    assert.deepEqual(entriesOf(readFixture(join(FIXTURES, 'grammar_tour.log'))), [
      ['2nd-key_x', 'digits, dashes and underscores'],
      ['first', 'last'],
      ['indented', '  leading spaces kept in the value, trailing dropped'],
      ['brackets', '[a] ]b[ [] {"json": [1, 2]}'],
      ['k', ']starts with a bracket'],
    ]);
  });

  test('a Windows file with a byte-order mark and CRLF endings leaves no carriage return in values', () => {
    assert.deepEqual(entriesOf(readFixture(join(FIXTURES, 'windows_crlf_bom.log'))), [
      ['status', 'done'],
      ['path', 'C:\\work\\out dir'],
    ]);
  });

  test('deleting an absent key changes nothing', () => {
    assert.deepEqual(entriesOf('[a]1\n[absent]\n'), [['a', '1']]);
  });

  test('an empty file and a file of comments give an empty object', () => {
    assert.deepEqual(parseFeedback(''), {});
    assert.deepEqual(parseFeedback('# only\n\n   \n# comments\n'), {});
  });

  test('a clear-all forgets every key and later keys start a new object', () => {
    assert.deepEqual(entriesOf('[a]1\n[b]2\n[]\n[c]3\n[a]4\n'), [
      ['c', '3'],
      ['a', '4'],
    ]);
  });

  test('a clear-all with surrounding whitespace still clears', () => {
    assert.deepEqual(entriesOf('[a]1\n  []  \r\n'), []);
  });

  test('setting an existing key keeps its place but a key set again after deletion goes last', () => {
    assert.deepEqual(entriesOf('[a]1\n[b]2\n[a]3\n'), [
      ['a', '3'],
      ['b', '2'],
    ]);
    assert.deepEqual(entriesOf('[a]1\n[b]2\n[a]\n[a]3\n'), [
      ['b', '2'],
      ['a', '3'],
    ]);
  });

  test('keys may hold letters, digits, dashes and underscores and may start with a digit', () => {
    assert.deepEqual(entriesOf('[Test-Case_01]x\n[9lives]cat\n[-]dash\n[_]underscore\n'), [
      ['Test-Case_01', 'x'],
      ['9lives', 'cat'],
      ['-', 'dash'],
      ['_', 'underscore'],
    ]);
  });

  test('keys with other characters make the line ignored', () => {
    assert.deepEqual(parseFeedback('[a b]1\n[a.b]2\n[é]3\n[a/b]4\n[ a]5\n'), {});
  });

  test('a key named like an Object.prototype member is an ordinary key', () => {
    const values = parseFeedback('[__proto__]x\n[constructor]y\n');
    assert.deepEqual(Object.entries(values), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    assert.equal(Object.getPrototypeOf(values), Object.prototype);
  });

  test('values keep inner spaces, brackets and JSON text as a string', () => {
    assert.deepEqual(parseFeedback('[msg]a  b [c] d\n[json]{"k": [1, "]"]}\n'), {
      msg: 'a  b [c] d',
      json: '{"k": [1, "]"]}',
    });
  });

  test('a lone carriage return ends a line like a line feed', () => {
    assert.deepEqual(parseFeedback('[a]1\r[b]2\r[a]\r'), { b: '2' });
  });

  test('a last line without a line terminator counts', () => {
    assert.deepEqual(parseFeedback('[a]1\n[b]2'), { a: '1', b: '2' });
  });

  test('invalid UTF-8 is decoded with replacement characters instead of throwing', () => {
    const bytes = Buffer.concat([
      Buffer.from('[text]caf'),
      Buffer.from([0xc3]), // a lead byte without its continuation
      Buffer.from(' ok\n[bad'),
      Buffer.from([0xff]),
      Buffer.from(']ignored: the key is not ASCII\n[emoji]'),
      Buffer.from([0xf0, 0x9f, 0x98]), // a truncated 4-byte sequence at the end of the file
    ]);
    assert.deepEqual(parseFeedback(bytes), {
      text: 'caf\uFFFD ok',
      emoji: '\uFFFD',
    });
  });
});

describe('parseFeedbackLine', () => {
  test('it names what each kind of line means', () => {
    assert.deepEqual(parseFeedbackLine('[progress]12'), {
      kind: 'set',
      key: 'progress',
      value: '12',
    });
    assert.deepEqual(parseFeedbackLine('[progress]'), {
      kind: 'delete',
      key: 'progress',
    });
    assert.deepEqual(parseFeedbackLine('[]'), { kind: 'clear' });
    assert.deepEqual(parseFeedbackLine('# [progress]12'), { kind: 'ignored' });
    assert.deepEqual(parseFeedbackLine(''), { kind: 'ignored' });
    assert.deepEqual(parseFeedbackLine('progress 12'), { kind: 'ignored' });
    assert.deepEqual(parseFeedbackLine('[progress'), { kind: 'ignored' });
  });

  test('trailing whitespace only after the key is a deletion', () => {
    assert.deepEqual(parseFeedbackLine('[info] \t '), {
      kind: 'delete',
      key: 'info',
    });
  });

  test('leading whitespace, including a non-breaking space, is ignored', () => {
    assert.deepEqual(parseFeedbackLine('\u00a0 \t[k]v'), {
      kind: 'set',
      key: 'k',
      value: 'v',
    });
  });
});
