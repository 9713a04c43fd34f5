/**
 * Log rotation while a real process writes as fast as it can, through the
 * native helper: every line ends up exactly once, whole and in order, across
 * the rotated files and the live one; every rotated file stays within the cap
 * (a burst is split into several); a follower of the live file delivers every
 * line exactly once with positions that count every byte; and a helper that
 * outlives its agent keeps rotating until another agent holds the lock. Needs
 * a file system with COLLAPSE_RANGE (ext4, xfs): the folder is made in the
 * checkout, not in a possibly tmpfs /tmp.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rotateIfNeeded } from '../../agent/proc/logRotator';
import { followLog } from '../../agent/proc/logFollower';
import { identify } from '../../agent/proc/processIdentity';
import { recentLines, rotationMarkerBase } from '../../agent/proc/rotatedLog';
import { locateSpawner } from '../../agent/proc/spawnHelper';
import { TEST_MARK } from './support/leakCheck';
import { waitFor } from './support/waitFor';

const LINES = 150_000;
const POLICY = { maxBytes: 64 * 1024, keep: 200 };
const REPO = path.resolve(__dirname, '../..');

let folder: string;
let collapsing = false;

before(() => {
  folder = fs.mkdtempSync(path.join(REPO, `.tmp-${TEST_MARK}rotation-`));
  // The helper rotates in place only on ext4 and xfs (statfs magic numbers).
  collapsing = locateSpawner() !== null && [0xef53, 0x58465342].includes(fs.statfsSync(folder).type);
});
after(() => fs.rmSync(folder, { recursive: true, force: true }));

/** A child appending `line N` for N = 1..count with one write per line (like a chatty daemon), `pauseEvery` lines a 1 ms pause. */
function startWriter(file: string, count = LINES, pauseEvery = 0): { child: ChildProcess; done: Promise<number | null> } {
  const fd = fs.openSync(file, 'a');
  const pause = pauseEvery > 0 ? `if (n % ${pauseEvery} === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);` : '';
  const script = `const fs = require('fs'); for (let n = 1; n <= ${count}; n++) { fs.writeSync(1, 'line ' + n + '\\n'); ${pause} }`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', fd, 'inherit'] });
  fs.closeSync(fd);
  return { child, done: new Promise((resolve) => child.once('exit', resolve)) };
}

function expectedLines(first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, index) => `line ${first + index}`);
}

/** The rotated files of `file`, oldest first. */
function rotatedOf(file: string): string[] {
  const name = path.basename(file);
  return fs
    .readdirSync(path.dirname(file))
    .filter((entry) => entry.startsWith(`${name}.`) && /^\d+$/.test(entry.slice(name.length + 1)))
    .map((entry) => Number(entry.slice(name.length + 1)))
    .sort((a, b) => b - a)
    .map((index) => `${file}.${index}`);
}

/** The lines of the live file after its marker line, if it has one. */
function liveLines(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (rotationMarkerBase(lines[0] ?? '') !== null) lines.shift();
  return lines;
}

/** Every rotated file holds whole lines within the cap; the live file starts with its marker or a whole line. */
function assertWholeLinesWithinCap(file: string, maxBytes: number): void {
  for (const rotated of rotatedOf(file)) {
    const text = fs.readFileSync(rotated, 'utf8');
    assert.ok(Buffer.byteLength(text) <= maxBytes, `${rotated} holds ${Buffer.byteLength(text)} bytes, over the cap of ${maxBytes}`);
    assert.match(text, /^line \d+\n(line \d+\n)*$/, `${rotated} holds whole lines only`);
  }
  const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0]!;
  assert.ok(
    rotationMarkerBase(first) !== null || /^(line \d+)?$/.test(first),
    `the live file starts with ${JSON.stringify(first.slice(0, 80))}`,
  );
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
  it('keeps every line exactly once and whole, across rotated files within the cap and the live file', async (t) => {
    if (!collapsing) return t.skip('this file system cannot collapse ranges (e.g. tmpfs): rotation falls back to copy-truncate');
    const file = path.join(folder, 'fast.0.out');
    const writer = startWriter(file);
    const rotations = await rotateWhileWriting(file, writer.done);
    assert.equal(await writer.done, 0);
    assert.ok(rotations >= 5, `expected several rotations while writing, got ${rotations}`);
    assertWholeLinesWithinCap(file, POLICY.maxBytes);
    const archived = rotatedOf(file).flatMap((rotated) => fs.readFileSync(rotated, 'utf8').split('\n').slice(0, -1));
    const live = liveLines(file);
    assert.equal(live.pop(), '');
    assert.deepEqual([...archived, ...live], expectedLines(1, LINES));
  });

  it('lets a follower of the live file deliver every line exactly once across rotations, with positions counting every byte', async (t) => {
    if (!collapsing) return t.skip('this file system cannot collapse ranges (e.g. tmpfs)');
    const file = path.join(folder, 'followed.0.out');
    fs.writeFileSync(file, '');
    const delivered: string[] = [];
    let lastPosition = 0;
    const follower = followLog({
      file,
      offset: 0,
      pollMs: 50,
      onLines: (lines, _end, position) => {
        delivered.push(...lines);
        lastPosition = position;
      },
    });
    try {
      const writer = startWriter(file);
      const rotations = await rotateWhileWriting(file, writer.done);
      assert.ok(rotations >= 5, `expected several rotations while writing, got ${rotations}`);
      await waitFor(() => delivered.length >= LINES, { what: `${LINES} lines from the follower`, timeoutMs: 20_000 });
      assert.equal(delivered.length, LINES);
      assert.deepEqual(delivered, expectedLines(1, LINES));
      assert.equal(lastPosition, Buffer.byteLength(expectedLines(1, LINES).join('\n') + '\n'));
    } finally {
      follower.close();
    }
  });

  it('splits a burst far past the cap into rotated files within it, keeps only `keep` of them, and reads them back in order', async (t) => {
    if (!collapsing) return t.skip('this file system cannot collapse ranges (e.g. tmpfs)');
    // The case: 3,000 lines of about 100 bytes against a cap of 20,000 bytes and keep 5.
    const file = path.join(folder, 'burst.0.out');
    const writer = startWriter(file, 3000);
    assert.equal(await writer.done, 0);
    const padded = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((line) => `${line} `.padEnd(99, '.'));
    fs.writeFileSync(file, padded.join('\n') + '\n');
    assert.ok(rotateIfNeeded(file, { maxBytes: 20_000, keep: 5 }) > 0);
    const rotated = rotatedOf(file);
    assert.equal(rotated.length, 5);
    for (const part of rotated) {
      const text = fs.readFileSync(part, 'utf8');
      assert.ok(text.length <= 20_000 && text.length > 20_000 - 2 * 4096 - 100, `${part}: ${text.length} bytes`);
      assert.ok(text.endsWith('\n') && text.startsWith('line '), `${part} holds whole lines`);
    }
    assert.ok(
      fs.statSync(file).size <= 20_000 + 2 * 4096 + 100,
      `the live file keeps at most a cap and a little: ${fs.statSync(file).size}`,
    );
    // Everything kept reads back in order, ending with the last line written.
    const back = recentLines(file, 100_000).lines;
    const numbers = back.map((line) => Number(/^line (\d+) /.exec(line)?.[1]));
    assert.equal(numbers.at(-1), 3000);
    assert.ok(back.length > 1000, `expected the lines of five rotated files and the live one, got ${back.length}`);
    numbers.slice(1).forEach((number, index) => assert.equal(number, numbers[index]! + 1));
  });

  it('lets a helper whose agent is gone keep rotating until another agent holds the lock', async (t) => {
    if (!collapsing) return t.skip('this file system cannot collapse ranges (e.g. tmpfs)');
    const file = path.join(folder, 'orphan.0.out');
    const lock = path.join(folder, 'agent.lock');
    fs.writeFileSync(lock, '');
    fs.writeFileSync(file, '');
    // About 2 MB over several seconds: far past the cap unless something rotates.
    const writer = startWriter(file, 200_000, 40);
    let helper: ChildProcess | undefined;
    let successor: ChildProcess | undefined;
    try {
      const identity = identify(writer.child.pid!)!;
      helper = spawn(locateSpawner()!, [], { stdio: ['pipe', 'ignore', 'inherit'] });
      let helperGone = false;
      helper.once('exit', () => (helperGone = true));
      const fields = ['L', lock, 'W', file, String(POLICY.maxBytes), '3', String(identity.pid), String(identity.startTime)];
      // The agent goes away: end of its requests.
      helper.stdin!.end(fields.join('\0') + '\0');
      let largest = 0;
      let written = 0;
      await waitFor(
        () => {
          const size = fs.statSync(file).size;
          largest = Math.max(largest, size);
          // Everything written so far: what left the front (the marker's base) and what is in the file.
          written = (rotationMarkerBase(fs.readFileSync(file, 'latin1').split('\n', 1)[0]!) ?? 0) + size;
          return written > 1_000_000;
        },
        { what: '1 MB written while only the helper rotates', timeoutMs: 30_000, intervalMs: 20 },
      );
      assert.equal(helperGone, false);
      assert.equal(rotatedOf(file).length, 3);
      assert.ok(largest < written / 2, `the live file stayed small (at most ${largest} bytes of ${written} written)`);
      assertWholeLinesWithinCap(file, POLICY.maxBytes);
      // Another agent takes the lock: the helper leaves the files to it.
      successor = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `require(${JSON.stringify(path.join(REPO, 'agent/server/agentLock.ts'))}).acquireAgentLock(${JSON.stringify(lock)}); setInterval(() => {}, 1000);`,
        ],
        { stdio: 'ignore', cwd: REPO },
      );
      await waitFor(() => helperGone, { what: 'the helper to leave once another agent holds the lock', timeoutMs: 20_000 });
      await writer.done;
      const kept = [
        ...rotatedOf(file).flatMap((part) => fs.readFileSync(part, 'utf8').split('\n').slice(0, -1)),
        ...liveLines(file).slice(0, -1),
      ];
      const numbers = kept.map((line) => Number(line.slice(5)));
      numbers.slice(1).forEach((number, index) => assert.equal(number, numbers[index]! + 1, 'no line lost or repeated'));
      assert.equal(numbers.at(-1), 200_000);
    } finally {
      writer.child.kill('SIGKILL');
      helper?.kill('SIGKILL');
      successor?.kill('SIGKILL');
    }
  });
});
