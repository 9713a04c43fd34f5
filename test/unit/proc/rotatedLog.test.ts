import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { followLog } from '../../../agent/proc/logFollower';
import { linesSince, recentLines, rotationMarkerBase } from '../../../agent/proc/rotatedLog';
import { waitFor } from '../../integration/support/waitFor';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-rotated-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function lines(first: number, last: number): string {
  let text = '';
  for (let n = first; n <= last; n += 1) text += `line ${n}\n`;
  return text;
}

function marker(base: number, length: number): string {
  const text = `[taskwarden] older lines were rotated out (base ${base})`;
  return `${text.padEnd(length - 1)}\n`;
}

/**
 * A log as rotation leaves it: `.2` holds lines 1-10, `.1` lines 11-20, and the
 * live file a marker (bytes already in `.1`) then lines 21-25 and half of line 26.
 */
function rotatedLog(name: string): { file: string; bytesBeforeLive: number } {
  const file = path.join(dir, name);
  fs.writeFileSync(`${file}.2`, lines(1, 10));
  fs.writeFileSync(`${file}.1`, lines(11, 20));
  const written = Buffer.byteLength(lines(1, 20));
  // The marker covers the last 60 bytes of what went to .1, so the live file's base is 60 bytes before its end.
  fs.writeFileSync(file, marker(written - 60, 60) + lines(21, 25) + 'line 2');
  return { file, bytesBeforeLive: written };
}

describe('reading a rotated log', () => {
  it('recognises the marker line a rotation leaves, and nothing else', () => {
    assert.equal(rotationMarkerBase(marker(1234, 80).trimEnd()), 1234);
    assert.equal(rotationMarkerBase('[taskwarden] older lines were rotated out (base 12) and more'), null);
    assert.equal(rotationMarkerBase('line 1'), null);
  });

  it('gives the last lines across the live file and the rotated ones, oldest first, without the marker or the unfinished line', () => {
    const { file } = rotatedLog('recent.out');
    assert.deepEqual(recentLines(file, 7).lines, lines(19, 25).trimEnd().split('\n'));
    assert.deepEqual(recentLines(file, 1000).lines, lines(1, 25).trimEnd().split('\n'));
    assert.deepEqual(recentLines(file, 0).lines, []);
  });

  it('gives every line since a position, across rotated files, and says how much was rotated away before it', () => {
    const { file, bytesBeforeLive } = rotatedLog('since.out');
    const live = recentLines(file, 0);
    assert.equal(live.position, bytesBeforeLive + Buffer.byteLength(lines(21, 25)));
    const afterLine15 = Buffer.byteLength(lines(1, 15));
    assert.deepEqual(linesSince(file, afterLine15).lines, lines(16, 25).trimEnd().split('\n'));
    assert.deepEqual(linesSince(file, bytesBeforeLive).lines, lines(21, 25).trimEnd().split('\n'));
    assert.deepEqual(linesSince(file, live.position).lines, []);
    // Lines 1-10 rotated away: starting from before them, what is left comes, and the gap is counted.
    fs.rmSync(`${file}.2`);
    const gone = linesSince(file, 0);
    assert.deepEqual(gone.lines, lines(11, 25).trimEnd().split('\n'));
    assert.equal(gone.missedBytes, Buffer.byteLength(lines(1, 10)));
  });

  it('lets a follower from the start skip the marker and report positions that count the rotated bytes', async () => {
    const { file, bytesBeforeLive } = rotatedLog('followed.out');
    const seen: { lines: string[]; position: number }[] = [];
    const follower = followLog({ file, offset: 0, pollMs: 20, onLines: (batch, _end, position) => seen.push({ lines: batch, position }) });
    try {
      fs.appendFileSync(file, '6\n');
      await waitFor(() => seen.flatMap((entry) => entry.lines).length >= 6, { what: 'six lines from the follower' });
      assert.deepEqual(
        seen.flatMap((entry) => entry.lines),
        lines(21, 26).trimEnd().split('\n'),
      );
      assert.equal(seen.at(-1)!.position, bytesBeforeLive + Buffer.byteLength(lines(21, 26)));
      assert.equal(follower.position(), seen.at(-1)!.position);
    } finally {
      follower.close();
    }
  });
});
