/**
 * Log rotation while a real process writes as fast as it can: every line ends
 * up exactly once, in order, across the rotated files and the live one, and a
 * follower of the live file delivers every line exactly once. Needs a
 * filesystem with COLLAPSE_RANGE (ext4, xfs): the folder is made in the
 * checkout, not in a possibly tmpfs /tmp.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rotateIfNeeded } from '../../agent/daemons/logs';
import { collapseFront } from '../../agent/proc/collapseFront';
import { followLog } from '../../agent/proc/logFollower';
import { waitFor } from './support/waitFor';

const LINES = 150_000;
const POLICY = { maxBytes: 64 * 1024, keep: 200 };
const REPO = path.resolve(__dirname, '../..');

let folder: string;
let collapsing = false;

before(() => {
  folder = fs.mkdtempSync(path.join(REPO, '.tmp-rotation-'));
  const probe = path.join(folder, 'probe');
  fs.writeFileSync(probe, Buffer.alloc(3 * 4096));
  collapsing = collapseFront(probe, 4096) && fs.statSync(probe).size === 2 * 4096;
});
after(() => fs.rmSync(folder, { recursive: true, force: true }));

/** A child appending `line N` for N = 1..LINES with one write per line (like a chatty daemon). */
function startWriter(file: string): Promise<number | null> {
  const fd = fs.openSync(file, 'a');
  const script = `const fs = require('fs'); for (let n = 1; n <= ${LINES}; n++) fs.writeSync(1, 'line ' + n + '\\n');`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', fd, 'inherit'] });
  fs.closeSync(fd);
  return new Promise((resolve) => child.once('exit', resolve));
}

function expectedLines(): string[] {
  return Array.from({ length: LINES }, (_, index) => `line ${index + 1}`);
}

/** Rotates as often as the file allows until the writer ends; returns how many rotations cut the file. */
async function rotateWhileWriting(file: string, writer: Promise<number | null>): Promise<number> {
  let done = false;
  void writer.then(() => (done = true));
  let rotations = 0;
  while (!done) {
    if (rotateIfNeeded(file, POLICY) > 0) rotations++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return rotations;
}

describe('log rotation under a writer', () => {
  it('keeps every line exactly once across the rotated files and the live one', async (t) => {
    if (!collapsing) return t.skip('this filesystem cannot collapse ranges (e.g. tmpfs): rotation falls back to copy-truncate');
    const file = path.join(folder, 'fast.0.out');
    const writer = startWriter(file);
    const rotations = await rotateWhileWriting(file, writer);
    assert.equal(await writer, 0);
    assert.ok(rotations >= 5, `expected several rotations while writing, got ${rotations}`);
    const archives = fs
      .readdirSync(folder)
      .filter((name) => name.startsWith('fast.0.out.'))
      .map((name) => Number(name.split('.').pop()))
      .sort((a, b) => b - a);
    assert.equal(archives.length, rotations, 'one archive per rotation (keep is larger than the count)');
    const stream = [...archives.map((index) => `${file}.${index}`), file].map((part) => fs.readFileSync(part, 'utf8')).join('');
    const lines = stream.split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines, expectedLines());
  });

  it('lets a follower of the live file deliver every line exactly once across rotations', async (t) => {
    if (!collapsing) return t.skip('this filesystem cannot collapse ranges (e.g. tmpfs)');
    const file = path.join(folder, 'followed.0.out');
    fs.writeFileSync(file, '');
    const delivered: string[] = [];
    const follower = followLog({ file, offset: 0, onLines: (lines) => delivered.push(...lines), pollMs: 50 });
    try {
      const writer = startWriter(file);
      const rotations = await rotateWhileWriting(file, writer);
      assert.ok(rotations >= 5, `expected several rotations while writing, got ${rotations}`);
      await waitFor(() => delivered.length >= LINES, { what: `${LINES} lines from the follower`, timeoutMs: 20_000 });
      assert.equal(delivered.length, LINES);
      assert.deepEqual(delivered, expectedLines());
    } finally {
      follower.close();
    }
  });
});
