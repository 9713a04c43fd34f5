/**
 * The text of every output channel (daemons' and tasks'), and the grammar
 * that colors it: stdout and stderr lines are told apart by their prefix,
 * notes by their rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatNote, formatOutputLine, historyHeader } from '../../../extension/shared/outputFormat';

interface Rule {
  readonly match: string;
}

const grammar = JSON.parse(readFileSync(join(import.meta.dirname, '../../../syntaxes/daemonOutput.tmLanguage.json'), 'utf8')) as {
  repository: Record<'note' | 'stderr' | 'stdout', Rule>;
};

function rulesMatching(line: string): string[] {
  return Object.entries(grammar.repository)
    .filter(([, rule]) => new RegExp(rule.match).test(line))
    .map(([name]) => name);
}

describe('output channel text', () => {
  test("prefixes stdout lines with the run and marks stderr lines, a daemon's and a task's alike", () => {
    assert.equal(formatOutputLine({ run: 'web:0', stream: 'stdout', text: 'tick' }), '[web:0] tick');
    assert.equal(formatOutputLine({ run: 'web:0', stream: 'stderr', text: 'oops' }), '[web:0 stderr] oops');
    assert.equal(formatOutputLine({ run: '7', stream: 'stdout', text: 'step 1' }), '[7] step 1');
    assert.equal(formatOutputLine({ run: '7', stream: 'stderr', text: 'warned' }), '[7 stderr] warned');
  });

  test('says the history comes per instance (a daemon) or per stream (one run), stdout then stderr', () => {
    assert.equal(historyHeader('web', 100, 'instance'), '── web: last 100 lines per instance, stdout then stderr ──');
    assert.equal(historyHeader('task 7', 100, null), '── task 7: last 100 lines, stdout then stderr ──');
  });

  test('colors each kind of line by exactly one grammar rule', () => {
    assert.deepEqual(rulesMatching(formatOutputLine({ run: 'web:0', stream: 'stdout', text: 'a [b stderr] c' })), ['stdout']);
    assert.deepEqual(rulesMatching(formatOutputLine({ run: 'web:10', stream: 'stderr', text: 'boom' })), ['stderr']);
    assert.deepEqual(rulesMatching(formatOutputLine({ run: 'web:0', stream: 'stderr', text: '' }).trimEnd()), ['stderr']);
    assert.deepEqual(rulesMatching(formatOutputLine({ run: '7', stream: 'stdout', text: 'x' })), ['stdout']);
    assert.deepEqual(rulesMatching(formatOutputLine({ run: '7', stream: 'stderr', text: 'x' })), ['stderr']);
    assert.deepEqual(rulesMatching(formatNote('web:0 running, pid 1')), ['note']);
    assert.deepEqual(rulesMatching('plain text'), []);
  });
});
