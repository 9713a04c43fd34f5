/**
 * The text of daemon output channels, and the grammar that colors it: stdout
 * and stderr lines are told apart by their prefix, state notes by their rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatLogLine, formatNote, formatStateLine, historyHeader, stateKey } from '../../../extension/daemons/daemonOutputFormat';
import { instance } from './daemonFixtures';

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

describe('daemon output text', () => {
  test('prefixes stdout lines with the instance and marks stderr lines', () => {
    assert.equal(formatLogLine({ instance: 'web:0', stream: 'stdout', text: 'tick' }), '[web:0] tick');
    assert.equal(formatLogLine({ instance: 'web:0', stream: 'stderr', text: 'oops' }), '[web:0 stderr] oops');
  });

  test('writes state changes as notes with pid, last exit and message', () => {
    assert.equal(formatStateLine(instance({ pid: 42 })), '── web:0 running, pid 42 ──');
    const stopped = instance({
      state: 'stopped',
      pid: null,
      lastExit: { code: null, signal: 'SIGTERM', at: 0, reason: 'stopped by user' },
    });
    assert.equal(formatStateLine(stopped), '── web:0 stopped, last exit: SIGTERM (stopped by user) ──');
    assert.equal(formatStateLine(instance({ state: 'waiting', pid: null, waitingFor: ['db'] })), '── web:0 waiting for db ──');
    const done = instance({ state: 'exited', pid: null, lastExit: { code: 0, signal: null, at: 0, reason: null } });
    assert.equal(formatStateLine(done), '── web:0 done, last exit: exit 0 ──');
  });

  test('reports a new state line only when the state or the pid changed', () => {
    assert.equal(stateKey(instance({ restarts: 1 })), stateKey(instance({ restarts: 2 })));
    assert.notEqual(stateKey(instance({ pid: 1 })), stateKey(instance({ pid: 2 })));
  });

  test('says the history is per instance and stream', () => {
    assert.equal(historyHeader('web', 100), '── web: last 100 lines per instance, stdout then stderr ──');
  });

  test('colors each kind of line by exactly one grammar rule', () => {
    assert.deepEqual(rulesMatching(formatLogLine({ instance: 'web:0', stream: 'stdout', text: 'a [b stderr] c' })), ['stdout']);
    assert.deepEqual(rulesMatching(formatLogLine({ instance: 'web:10', stream: 'stderr', text: 'boom' })), ['stderr']);
    assert.deepEqual(rulesMatching(formatLogLine({ instance: 'web:0', stream: 'stderr', text: '' }).trimEnd()), ['stderr']);
    assert.deepEqual(rulesMatching(formatNote('web:0 running, pid 1')), ['note']);
    assert.deepEqual(rulesMatching('plain text'), []);
  });
});
