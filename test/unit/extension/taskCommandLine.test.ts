/**
 * The Launch Task command line splitter: quotes and backslashes as a POSIX shell reads them,
 * no expansion, clear errors, and shell operators refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { joinCommandLine, splitCommandLine } from '../../../extension/tasks/taskCommandLine';

function argvOf(line: string): readonly string[] {
  const result = splitCommandLine(line);
  assert.ok(result.ok, `expected ${JSON.stringify(line)} to split, got: ${result.ok ? '' : result.message}`);
  return result.argv;
}

function errorOf(line: string): string {
  const result = splitCommandLine(line);
  assert.ok(!result.ok, `expected ${JSON.stringify(line)} to be refused, got ${JSON.stringify(result.ok && result.argv)}`);
  return result.message;
}

describe('splitCommandLine', () => {
  test('splits on runs of blanks and ignores leading and trailing ones', () => {
    assert.deepEqual(argvOf('  ./build.sh   --target\tweb \n fast  '), ['./build.sh', '--target', 'web', 'fast']);
  });

  test('keeps single-quoted text literally, backslashes and dollars included', () => {
    assert.deepEqual(argvOf(`echo 'a  b' 'c\\d' '$HOME'`), ['echo', 'a  b', 'c\\d', '$HOME']);
  });

  test('keeps double-quoted text with only the POSIX escapes applied', () => {
    assert.deepEqual(argvOf(String.raw`printf "say \"hi\" \\ \$x \n"`), ['printf', String.raw`say "hi" \ $x \n`]);
  });

  test('passes the sh -c example of the brief to sh as one untouched script', () => {
    const line = '/bin/sh -c "for i in 1 2 3 4 5; do echo [progress]$((i*20)) >> $TASKWARDEN_FEEDBACK_FILE; sleep 1; done"';
    assert.deepEqual(argvOf(line), [
      '/bin/sh',
      '-c',
      'for i in 1 2 3 4 5; do echo [progress]$((i*20)) >> $TASKWARDEN_FEEDBACK_FILE; sleep 1; done',
    ]);
  });

  test('joins quoted and unquoted pieces that touch into one word', () => {
    assert.deepEqual(argvOf(`--name="a b"'c d'e`), ['--name=a bc de']);
  });

  test('makes an empty word of empty quotes', () => {
    assert.deepEqual(argvOf(`cmd "" ''`), ['cmd', '', '']);
  });

  test('takes a backslashed character literally outside quotes and drops a backslash-newline', () => {
    assert.deepEqual(argvOf('find . -exec rm {} \\; a\\ b c\\\nd'), ['find', '.', '-exec', 'rm', '{}', ';', 'a b', 'cd']);
  });

  test('does no expansion of variables, globs or the home folder', () => {
    assert.deepEqual(argvOf('ls $HOME *.txt ~ $(date)'), ['ls', '$HOME', '*.txt', '~', '$(date)']);
  });

  test('refuses unterminated quotes and a lone trailing backslash, naming the column', () => {
    assert.match(errorOf(`echo 'abc`), /unterminated single quote at column 6/);
    assert.match(errorOf('echo "abc'), /unterminated double quote at column 6/);
    assert.match(errorOf('echo abc\\'), /lone backslash/);
  });

  test('refuses an unquoted shell operator with a hint, but accepts a quoted one', () => {
    assert.match(errorOf('make | tee log'), /"\|" is a shell operator.*\/bin\/sh -c/);
    assert.match(errorOf('a && b'), /"&&"/);
    assert.match(errorOf('echo hi > out'), /">"/);
    assert.deepEqual(argvOf(`echo '|' ">" \\;`), ['echo', '|', '>', ';']);
  });

  test('refuses an empty or blank line', () => {
    assert.match(errorOf(''), /type a command/);
    assert.match(errorOf('   '), /type a command/);
  });
});

describe('joinCommandLine', () => {
  test('quotes only the words that need it, and splits back to the same argv', () => {
    const argv = ['/bin/sh', '-c', `echo "it's" $HOME`, '', 'plain-word_1.txt'];
    const line = joinCommandLine(argv);
    assert.equal(line, `/bin/sh -c 'echo "it'\\''s" $HOME' '' plain-word_1.txt`);
    assert.deepEqual(argvOf(line), argv);
  });
});
