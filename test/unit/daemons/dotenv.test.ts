import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDotenv } from '../../../agent/daemons/config/dotenv';

describe('env_file parsing', () => {
  test('KEY=VALUE lines with comments, blank lines and an export prefix', () => {
    const { values, problems } = parseDotenv('# db\nDB_HOST=localhost\n\nexport DB_PORT = 5432\n');
    assert.deepEqual(values, { DB_HOST: 'localhost', DB_PORT: '5432' });
    assert.deepEqual(problems, []);
  });

  test('an unquoted value is trimmed and a space-# starts a comment', () => {
    assert.deepEqual(parseDotenv('A=  x y  # note\nB=a#b\n').values, { A: 'x y', B: 'a#b' });
  });

  test('single quotes are literal', () => {
    assert.deepEqual(parseDotenv("A='x # y \\n $HOME'\n").values, { A: 'x # y \\n $HOME' });
  });

  test('double quotes understand escapes and may span lines', () => {
    assert.deepEqual(parseDotenv('A="line1\\nline2 \\"q\\" \\\\"\nB="multi\nline"\nC=after\n').values, {
      A: 'line1\nline2 "q" \\',
      B: 'multi\nline',
      C: 'after',
    });
  });

  test('there is no $VAR interpolation', () => {
    assert.deepEqual(parseDotenv('A=$HOME/x\nB=${HOME}\n').values, { A: '$HOME/x', B: '${HOME}' });
  });

  test('an empty value is an empty string, and a repeated key keeps the last value', () => {
    assert.deepEqual(parseDotenv('A=\nB=1\nB=2\n').values, { A: '', B: '2' });
  });

  test('bad lines are skipped and reported with their line numbers', () => {
    const { values, problems } = parseDotenv('GOOD=1\nno equals here\n1BAD=x\nQ="open\n');
    assert.deepEqual(values, { GOOD: '1' });
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [2, 3, 4],
    );
    assert.match(problems[2]!.message, /no closing "/);
  });

  test('Windows line endings are accepted', () => {
    assert.deepEqual(parseDotenv('A=1\r\nB=2\r\n').values, { A: '1', B: '2' });
  });
});
