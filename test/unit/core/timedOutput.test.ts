import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outputLine, withRestarts, type ReadLine } from '../../../agent/core/timedOutput';
import { markerText } from '../../../agent/protocol/outputMarkers';

const lines: ReadLine[] = [
  { text: 'old 1', time: 1000 },
  { text: 'old 2', time: 2000 },
  { text: 'new 1', time: 3000 },
  { text: 'new 2', time: 4000 },
];

const texts = (read: readonly ReadLine[]): string[] => read.map((line) => (line.restart ? `marker ${line.restart.at}` : line.text));

describe('restart markers among output lines', () => {
  // Each line is 6 bytes; the new process began writing at 12 (its start entry, stamped just before its spawn at 2510).
  const positioned: ReadLine[] = [
    { text: 'old 1', time: 1000, end: 6 },
    { text: 'old 2', time: 2000, end: 12 },
    { text: 'new 1', time: 2495, end: 18 },
    { text: 'new 2', time: 4000, end: 24 },
  ];
  const entries = [
    { position: 0, at: 900, start: true as const },
    { position: 6, at: 1000 },
    { position: 12, at: 2510, start: true as const },
    { position: 18, at: 2495 },
  ];

  it('go where the new process began writing, even when its first line carries an earlier time than the previous end', () => {
    const restart = { at: 2512, previousEnd: 2500, previousExit: 'SIGKILL' };
    assert.deepEqual(texts(withRestarts(positioned, [restart], null, entries)), ['old 1', 'old 2', 'marker 2512', 'new 1', 'new 2']);
    assert.deepEqual(
      texts(withRestarts(positioned, [restart], null)),
      ['old 1', 'old 2', 'new 1', 'marker 2512', 'new 2'],
      'by time: a line late',
    );
  });

  it('pair each restart with the start stamped between the previous end and the new start, not an earlier or later one', () => {
    const first = { at: 1505, previousEnd: 1500, previousExit: 'exit 1' };
    const second = { at: 3005, previousEnd: 3000, previousExit: 'exit 2' };
    const starts = [
      { position: 0, at: 900, start: true as const },
      { position: 6, at: 1502, start: true as const },
      { position: 18, at: 3001, start: true as const },
      { position: 30, at: 5000, start: true as const },
    ];
    const read: ReadLine[] = [...positioned, { text: 'newer 1', time: 5001, end: 30 }, { text: 'newest 1', time: 5002, end: 36 }];
    assert.deepEqual(texts(withRestarts(read, [second, first], null, starts)), [
      'old 1',
      'marker 1505',
      'old 2',
      'new 1',
      'marker 3005',
      'new 2',
      'newer 1',
      'newest 1',
    ]);
  });

  it('a restart whose new start is not stamped yet takes the last start entry after the previous end', () => {
    const pending = { at: null, previousEnd: 2500, previousExit: 'SIGKILL' };
    const marked = withRestarts(positioned, [pending], null, entries);
    assert.deepEqual(texts(marked), ['old 1', 'old 2', 'marker 2495', 'new 1', 'new 2']);
  });

  it('go before the first line written after the previous process ended, even one written before the start was stamped', () => {
    const restart = { at: 3005, previousEnd: 2500, previousExit: 'SIGKILL' };
    assert.deepEqual(texts(withRestarts(lines, [restart], null)), ['old 1', 'old 2', 'marker 3005', 'new 1', 'new 2']);
  });

  it('go before a new line stamped in the very millisecond the previous process ended (its stamp is an upper bound)', () => {
    const restart = { at: 3005, previousEnd: 3000, previousExit: 'SIGKILL' };
    assert.deepEqual(texts(withRestarts(lines, [restart], null)), ['old 1', 'old 2', 'marker 3005', 'new 1', 'new 2']);
  });

  it('show only restarts within the lines shown, and an exit no new process followed not at all', () => {
    const old = { at: 600, previousEnd: 500, previousExit: 'exit 1' };
    const stopped = { at: null, previousEnd: 4500, previousExit: 'SIGTERM (stopped by user)' };
    assert.deepEqual(texts(withRestarts(lines, [old, stopped], null)), ['old 1', 'old 2', 'new 1', 'new 2']);
    assert.deepEqual(texts(withRestarts(lines, [old], 0)), ['marker 600', 'old 1', 'old 2', 'new 1', 'new 2']);
    const later = { at: 5000, previousEnd: 4500, previousExit: 'exit 2' };
    assert.deepEqual(texts(withRestarts(lines, [later], null)).at(-1), 'marker 5000');
  });

  it('a restart not stamped yet takes the time of the line after it, and is worded once', () => {
    const pending = { at: null, previousEnd: 2500, previousExit: 'exit 1' };
    const marked = withRestarts(lines, [pending], null)[2]!;
    const line = outputLine('web:0', 'stdout', marked, false);
    assert.deepEqual(line.marker, { kind: 'restart', at: 3000, previousExit: 'exit 1' });
    assert.equal(line.text, markerText(line.marker));
    assert.match(line.text, /^──── restarted \d{2}:\d{2}:\d{2} \(exit 1\) ────$/);
    assert.equal(line.time, undefined, 'no time unless asked');
  });
});
