/**
 * The one wording of durations, shared by the CLI, the code lenses, the hovers
 * and the views.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDuration } from '../../../agent/protocol/durations';

describe('formatDuration', () => {
  test('shows the largest unit and the next one', () => {
    const seconds = [0, 42, 185, 2 * 3600 + 3 * 60 + 59, 28 * 3600 + 5, 3 * 86_400 + 4 * 3600];
    assert.deepEqual(
      seconds.map((count) => formatDuration(count * 1000)),
      ['0s', '42s', '3m 5s', '2h 3m', '1d 4h', '3d 4h'],
    );
  });

  test('never skips a unit: a day and five seconds is a day, not "1d 5s"', () => {
    assert.equal(formatDuration((86_400 + 5) * 1000), '1d');
    assert.equal(formatDuration((3600 + 5) * 1000), '1h');
    assert.equal(formatDuration(60_000), '1m');
  });

  test('counts started seconds down and a negative duration (clock skew) as zero', () => {
    assert.equal(formatDuration(999), '0s');
    assert.equal(formatDuration(-5000), '0s');
  });
});
