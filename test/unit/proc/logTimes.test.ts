import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { appendTime, keptTimes, positionBefore, readTimes, timeAt, timesFileOf } from '../../../agent/proc/logTimes';
import { OutputTimeRecorder } from '../../../agent/proc/outputTimes';
import { recentLines } from '../../../agent/proc/rotatedLog';
import { waitFor } from '../../integration/support/waitFor';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-times-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const ENTRIES = [
  { position: 10, at: 1000 },
  { position: 30, at: 2000 },
  { position: 45, at: 3000 },
];

describe('a log time index', () => {
  it('gives a line the time of the first entry at or past its end, and none past the last entry', () => {
    assert.equal(timeAt(ENTRIES, 1), 1000);
    assert.equal(timeAt(ENTRIES, 10), 1000);
    assert.equal(timeAt(ENTRIES, 11), 2000);
    assert.equal(timeAt(ENTRIES, 45), 3000);
    assert.equal(timeAt(ENTRIES, 46), null);
    assert.equal(timeAt([], 5), null);
  });

  it('starts a --since read after the last entry older than the time asked', () => {
    assert.equal(positionBefore(ENTRIES, 500), null);
    assert.equal(positionBefore(ENTRIES, 1000), null);
    assert.equal(positionBefore(ENTRIES, 1001), 10);
    assert.equal(positionBefore(ENTRIES, 2500), 30);
    assert.equal(positionBefore(ENTRIES, 9999), 45);
  });

  it('keeps after a rotation only the entries of bytes still kept, moved when positions started again', () => {
    assert.deepEqual(keptTimes(ENTRIES, 10, 0), ENTRIES.slice(1));
    assert.deepEqual(keptTimes(ENTRIES, -20, -45), [
      { position: -15, at: 2000 },
      { position: 0, at: 3000 },
    ]);
  });

  it('keeps the start flag of an entry through its file and a rotation', () => {
    const log = path.join(dir, 'flagged.out');
    appendTime(log, { position: 5, at: 100 });
    appendTime(log, { position: 9, at: 150, start: true });
    assert.equal(fs.readFileSync(timesFileOf(log), 'latin1'), '5 100\n9 150 start\n');
    assert.deepEqual(readTimes(log), [
      { position: 5, at: 100 },
      { position: 9, at: 150, start: true },
    ]);
    assert.deepEqual(keptTimes(readTimes(log), 5, 0), [{ position: 9, at: 150, start: true }]);
    assert.deepEqual(keptTimes(readTimes(log), -Infinity, -9)[1], { position: 0, at: 150, start: true });
  });

  it('reads its file in position order and skips a torn last line', () => {
    const log = path.join(dir, 'torn.out');
    appendTime(log, { position: 5, at: 100 });
    fs.appendFileSync(timesFileOf(log), '9 2');
    fs.appendFileSync(timesFileOf(log), 'x\n');
    assert.deepEqual(readTimes(log), [{ position: 5, at: 100 }]);
  });
});

describe('the time index recorder', () => {
  it('stamps what a writer appends with the file mtime, at most once per interval, and a last time on unwatch', async () => {
    const log = path.join(dir, 'web.0.out');
    fs.writeFileSync(log, 'before\n');
    const errors: string[] = [];
    const recorder = new OutputTimeRecorder((message) => errors.push(message), 50);
    try {
      recorder.watch(log);
      // Bytes from before the watch get the file's mtime.
      assert.deepEqual(readTimes(log), [{ position: 7, at: Math.round(fs.statSync(log).mtimeMs) }]);
      fs.appendFileSync(log, 'one\n');
      await waitFor(() => readTimes(log).length === 2, { what: 'an entry for the write' });
      for (let index = 0; index < 50; index += 1) fs.appendFileSync(log, `burst ${index}\n`);
      const size = fs.statSync(log).size;
      await waitFor(() => readTimes(log).at(-1)?.position === size, { what: 'an entry covering the burst' });
      assert.ok(readTimes(log).length < 20, `one entry per interval, not per write: ${readTimes(log).length}`);
      fs.appendFileSync(log, 'last\n');
      recorder.unwatch(log);
      assert.equal(readTimes(log).at(-1)?.position, fs.statSync(log).size);
      const read = recentLines(log, 100);
      assert.equal(timeAt(readTimes(log), read.ends[0]!), readTimes(log)[0]!.at);
    } finally {
      recorder.close();
    }
    assert.deepEqual(errors, []);
  });

  it('marks where a process about to start will write: the size plus the rotation base, stamped after it was read', () => {
    const log = path.join(dir, 'restarted.0.out');
    const recorder = new OutputTimeRecorder(() => undefined, 50);
    try {
      recorder.markStart(log);
      assert.deepEqual(
        readTimes(log).map(({ position, start }) => ({ position, start })),
        [{ position: 0, start: true }],
        'a file not written yet',
      );
      const marker = '[taskwarden] older lines were rotated out (base 1000)\n';
      fs.writeFileSync(log, `${marker}kept\n`);
      const before = Date.now();
      recorder.markStart(log);
      const entry = readTimes(log).at(-1)!;
      assert.equal(entry.position, 1000 + Buffer.byteLength(marker) + 5);
      assert.equal(entry.start, true);
      assert.ok(entry.at >= before, 'stamped with the agent clock, after the size was read');
    } finally {
      recorder.close();
    }
  });

  it('drops the entries of rotated-away bytes and moves the rest when the file was emptied', () => {
    const log = path.join(dir, 'api.0.out');
    fs.writeFileSync(log, 'a\nb\nc\n');
    const recorder = new OutputTimeRecorder(() => undefined, 50);
    try {
      recorder.watch(log);
      assert.equal(readTimes(log).at(-1)?.position, 6);
      // A copy-and-truncate rotation: everything to api.0.out.1, positions start again at 0.
      recorder.beforeRotation(log);
      fs.writeFileSync(`${log}.1`, 'a\nb\nc\n');
      fs.truncateSync(log, 0);
      recorder.rotated(log, Infinity);
      assert.deepEqual(
        readTimes(log).map((entry) => entry.position),
        [0],
      );
      fs.appendFileSync(log, 'd\n');
      recorder.unwatch(log);
      assert.deepEqual(
        readTimes(log).map((entry) => entry.position),
        [0, 2],
      );
      // The rotated lines end at -4, -2, 0; the new one at 2.
      assert.deepEqual(recentLines(log, 10).ends, [-4, -2, 0, 2]);
    } finally {
      recorder.close();
    }
  });

  it('gives an empty file no index, and stamps once the output of a writer that ended before it was watched', () => {
    const quiet = path.join(dir, 'quiet.err');
    const short = path.join(dir, 'short.out');
    fs.writeFileSync(quiet, '');
    fs.writeFileSync(short, 'one\ntwo\n');
    const recorder = new OutputTimeRecorder(() => undefined, 50);
    try {
      recorder.watch(quiet);
      recorder.unwatch(quiet);
      recorder.stampOnce(quiet);
      assert.equal(fs.existsSync(timesFileOf(quiet)), false);
      recorder.stampOnce(short);
      assert.deepEqual(readTimes(short), [{ position: 8, at: Math.round(fs.statSync(short).mtimeMs) }]);
      // Nothing new since: no second entry.
      recorder.stampOnce(short);
      assert.equal(readTimes(short).length, 1);
    } finally {
      recorder.close();
    }
  });
});
