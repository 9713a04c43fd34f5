/**
 * The text of an output terminal: the run's own ANSI colors kept, the prefix
 * dim and stderr's red, every line reset and ended with \r\n.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatNote } from '../../../extension/shared/outputFormat';
import { terminalNote, terminalOutputLine, terminalText } from '../../../extension/shared/terminalFormat';

describe('output terminal text', () => {
  test('turns every line break into \\r\\n, a \\r\\n left as it is', () => {
    assert.equal(terminalText('a\nb\r\nc\n'), 'a\r\nb\r\nc\r\n');
  });

  test("keeps the process's colors, resets them at the end of the line, and marks stderr in red", () => {
    assert.equal(
      terminalOutputLine({ run: 'web:0', stream: 'stdout', text: '\x1b[32mok\x1b[39m' }),
      '\x1b[2m[web:0]\x1b[0m \x1b[32mok\x1b[39m\x1b[0m\r\n',
    );
    assert.equal(terminalOutputLine({ run: '7', stream: 'stderr', text: 'oops' }), '\x1b[31m[7 stderr]\x1b[0m oops\x1b[0m\r\n');
  });

  test('writes notes dim, on a line of their own', () => {
    assert.equal(terminalNote(formatNote('web: live output')), '\x1b[2m── web: live output ──\x1b[0m\r\n');
  });
});
