/**
 * The incremental feedback parser: chunks split anywhere, truncation, resuming
 * from a saved offset, change detection, long lines and a 50 MB file.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { FeedbackAccumulator, parseFeedback } from '../../../agent/tasks/feedbackParser';

/** A file mixing every rule with 2-, 3- and 4-byte characters and all line endings. */
const SAMPLE = Buffer.from(
  '# démarrage\n[step]café ☕\r\n[emoji]😀 done\r[step]\n[]\n[名前]ignored\n[name]Zoë [x]\n[step]naïve\n[tail]末尾',
  'utf8',
);

function accumulate(chunks: readonly Uint8Array[]): FeedbackAccumulator {
  const accumulator = new FeedbackAccumulator();
  for (const chunk of chunks) accumulator.push(chunk);
  return accumulator;
}

function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return chunks;
}

describe('chunk boundaries', () => {
  test('the sample file gives the expected values in one chunk', () => {
    const accumulator = accumulate([SAMPLE]);
    accumulator.finish();
    assert.deepEqual(accumulator.entries(), [
      ['name', 'Zoë [x]'],
      ['step', 'naïve'],
      ['tail', '末尾'],
    ]);
  });

  test('splitting the file in two at every byte, mid-line and mid-character, gives the same values', () => {
    const expected = parseFeedback(SAMPLE);
    for (let cut = 0; cut <= SAMPLE.length; cut++) {
      const accumulator = accumulate([SAMPLE.subarray(0, cut), SAMPLE.subarray(cut)]);
      accumulator.finish();
      assert.deepEqual(accumulator.entries(), Object.entries(expected), `cut at byte ${cut}`);
    }
  });

  test('one byte at a time gives the same values', () => {
    const accumulator = accumulate(splitEvery(SAMPLE, 1));
    accumulator.finish();
    assert.deepEqual(accumulator.values(), parseFeedback(SAMPLE));
  });

  test('a multi-byte character split across chunks is not replaced', () => {
    const bytes = Buffer.from('[k]😀\n');
    const accumulator = accumulate([bytes.subarray(0, 5), bytes.subarray(5)]);
    assert.deepEqual(accumulator.values(), { k: '😀' });
  });

  test('a CRLF split between chunks ends the line once', () => {
    const accumulator = accumulate([Buffer.from('[a]1\r'), Buffer.from('\n[b]2\n')]);
    assert.deepEqual(accumulator.values(), { a: '1', b: '2' });
  });

  test('a reused read buffer does not corrupt a held-back partial line', () => {
    const readBuffer = Buffer.from('[key]val');
    const accumulator = new FeedbackAccumulator();
    accumulator.push(readBuffer);
    readBuffer.write('ue\n[zzz]', 'utf8');
    accumulator.push(readBuffer.subarray(0, 3));
    assert.deepEqual(accumulator.values(), { key: 'value' });
  });
});

describe('unterminated last line', () => {
  test('an unterminated line is held back until its terminator or finish()', () => {
    const accumulator = accumulate([Buffer.from('[a]1\n[b]2')]);
    assert.deepEqual(accumulator.values(), { a: '1' });
    assert.deepEqual(accumulator.valuesWithPartialLine(), { a: '1', b: '2' });
    assert.equal(accumulator.finish(), true);
    assert.deepEqual(accumulator.values(), { a: '1', b: '2' });
  });

  test('the held-back line keeps growing with later appends', () => {
    const accumulator = accumulate([Buffer.from('[progress]1'), Buffer.from('00\n')]);
    assert.deepEqual(accumulator.values(), { progress: '100' });
  });
});

describe('offsets, reset and resume', () => {
  test('offset counts every pushed byte and committedOffset stops after the last complete line', () => {
    const accumulator = accumulate([Buffer.from('[a]1\n[b]'), Buffer.from('2\n[c]')]);
    assert.equal(accumulator.offset, 13);
    assert.equal(accumulator.committedOffset, 10);
  });

  test('after a reset for a truncated file only the new content counts', () => {
    const accumulator = accumulate([Buffer.from('[a]1\n[b]2\n[partial')]);
    accumulator.reset();
    assert.equal(accumulator.offset, 0);
    accumulator.push(Buffer.from('[c]3\n'));
    assert.deepEqual(accumulator.values(), { c: '3' });
    assert.equal(accumulator.offset, 5);
  });

  test('a new accumulator resumed from a saved offset and values matches a full parse', () => {
    const first = accumulate([SAMPLE.subarray(0, 40)]);
    const saved = { values: first.values(), offset: first.committedOffset };
    const resumed = new FeedbackAccumulator({ resumeFrom: saved });
    resumed.push(SAMPLE.subarray(saved.offset));
    resumed.finish();
    assert.deepEqual(resumed.values(), parseFeedback(SAMPLE));
    assert.equal(resumed.offset, SAMPLE.length);
  });
});

describe('change detection', () => {
  test('push returns true and version grows only when the values change', () => {
    const accumulator = new FeedbackAccumulator();
    assert.equal(accumulator.push(Buffer.from('[a]1\n')), true);
    const version = accumulator.version;
    assert.equal(accumulator.push(Buffer.from('[a]1\n[heartbeat]\n# tick\n\n[]x\n')), false);
    assert.equal(accumulator.version, version);
    assert.equal(accumulator.push(Buffer.from('[a]2\n')), true);
    assert.equal(accumulator.version, version + 1);
  });

  test('a clear-all of nothing is not a change but a reset of values is', () => {
    const accumulator = new FeedbackAccumulator();
    assert.equal(accumulator.push(Buffer.from('[]\n')), false);
    accumulator.push(Buffer.from('[a]1\n'));
    const version = accumulator.version;
    accumulator.reset();
    assert.equal(accumulator.version, version + 1);
  });
});

describe('long lines', () => {
  test('a line longer than maxLineBytes is dropped, whole or in pieces, and counted', () => {
    const bytes = Buffer.from('[a]12345678\n[b]1\n[c]123\n');
    for (const size of [1, 2, 5, bytes.length]) {
      const accumulator = new FeedbackAccumulator({ maxLineBytes: 8 });
      for (const chunk of splitEvery(bytes, size)) accumulator.push(chunk);
      assert.deepEqual(accumulator.values(), { b: '1', c: '123' }, `chunks of ${size}`);
      assert.equal(accumulator.droppedLongLines, 1);
    }
  });

  test('an overlong unterminated last line is dropped by finish()', () => {
    const accumulator = new FeedbackAccumulator({ maxLineBytes: 4 });
    accumulator.push(Buffer.from('[a]1\n[b]'));
    accumulator.push(Buffer.from('123'));
    accumulator.finish();
    assert.deepEqual(accumulator.values(), { a: '1' });
    assert.equal(accumulator.droppedLongLines, 1);
  });
});

describe('a 50 MB file', () => {
  /** Builds ~50 MB of progress lines with comments, heartbeats and a clear every 100 000 lines. */
  function buildLargeFile(): { bytes: Buffer; lastLine: number } {
    const target = 50 * 1024 * 1024;
    const bytes = Buffer.allocUnsafe(target + 1024);
    let size = 0;
    let line = 0;
    while (size < target) {
      let text = line % 100_000 === 0 ? `[]\n[batch]${line / 100_000}\n` : '';
      if (line % 1000 === 0) text += `# checkpoint ${line}\n[heartbeat]\n`;
      text += `[progress]${line}\n`;
      size += bytes.write(text, size, 'latin1');
      line++;
    }
    size += bytes.write('[status]done\n[note]last line without a newline', size, 'latin1');
    return { bytes: bytes.subarray(0, size), lastLine: line - 1 };
  }

  test('parseFeedback builds and parses a 50 MB file to the right values', () => {
    const { bytes, lastLine } = buildLargeFile();
    assert.ok(bytes.length >= 50 * 1024 * 1024);
    const expected: [string, string][] = [
      ['batch', String(Math.floor(lastLine / 100_000))],
      ['progress', String(lastLine)],
      ['status', 'done'],
      ['note', 'last line without a newline'],
    ];
    assert.deepEqual(Object.entries(parseFeedback(bytes)), expected);

    const accumulator = new FeedbackAccumulator();
    for (const chunk of splitEvery(bytes, 64 * 1024)) accumulator.push(chunk);
    accumulator.finish();
    assert.deepEqual(accumulator.entries(), expected);
  });
});
