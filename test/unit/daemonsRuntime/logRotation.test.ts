import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { instanceLogFiles } from '../../../agent/daemons/logs';
import { LogRotator, REGISTER_AFTER_MS, rotateIfNeeded } from '../../../agent/proc/logRotator';

/** Lines `line NNN` padded to 50 bytes with their newline, from `first` to `last`. */
function numbered(first: number, last: number): string {
  let text = '';
  for (let n = first; n <= last; n += 1) text += `line ${String(n).padStart(3, '0')} `.padEnd(49, '.') + '\n';
  return text;
}

/** Rotation as it is without the native helper (copy and truncate), for this test. */
function withoutHelper(t: TestContext): void {
  const saved = process.env.TASKWARDEN_SPAWNER;
  process.env.TASKWARDEN_SPAWNER = 'off';
  t.after(() => {
    if (saved === undefined) delete process.env.TASKWARDEN_SPAWNER;
    else process.env.TASKWARDEN_SPAWNER = saved;
  });
}

describe('daemon log files', () => {
  it('names files by task and instance, with unsafe characters escaped', () => {
    assert.deepEqual(instanceLogFiles('/logs', 'web/api v2', 3), {
      stdout: '/logs/web%2Fapi%20v2.3.out',
      stderr: '/logs/web%2Fapi%20v2.3.err',
    });
  });

  it('without the spawn helper, copies whole lines into rotated files within the cap, newest first, and empties the file', (t) => {
    withoutHelper(t);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-logs-'));
    const file = path.join(dir, 'a.0.out');
    const policy = { maxBytes: 1024, keep: 3 };
    fs.writeFileSync(file, 'small\n');
    assert.equal(rotateIfNeeded(file, policy), 0);
    // 100 lines of 50 bytes: 5000 bytes, five pieces of 20 lines; the newest three are kept.
    fs.writeFileSync(file, numbered(1, 100));
    assert.equal(rotateIfNeeded(file, policy), Infinity);
    assert.equal(fs.statSync(file).size, 0);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.0.out', 'a.0.out.1', 'a.0.out.2', 'a.0.out.3']);
    assert.equal(fs.readFileSync(`${file}.3`, 'utf8'), numbered(41, 60));
    assert.equal(fs.readFileSync(`${file}.2`, 'utf8'), numbered(61, 80));
    assert.equal(fs.readFileSync(`${file}.1`, 'utf8'), numbered(81, 100));
    // The next rotation shifts them up and drops the oldest.
    fs.writeFileSync(file, numbered(101, 125));
    assert.equal(rotateIfNeeded(file, policy), Infinity);
    assert.equal(fs.readFileSync(`${file}.3`, 'utf8'), numbered(81, 100));
    assert.equal(fs.readFileSync(`${file}.2`, 'utf8'), numbered(101, 120));
    assert.equal(fs.readFileSync(`${file}.1`, 'utf8'), numbered(121, 125));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps nothing with keep 0: the file is just emptied', (t) => {
    withoutHelper(t);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-logs-'));
    const file = path.join(dir, 'a.0.out');
    fs.writeFileSync(file, numbered(1, 30));
    assert.equal(rotateIfNeeded(file, { maxBytes: 1024, keep: 0 }), Infinity);
    assert.deepEqual(fs.readdirSync(dir), ['a.0.out']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the log rotator', () => {
  it('looks at a quiet file every ten seconds and at a growing one as often as its growth needs', (t) => {
    withoutHelper(t);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-logs-'));
    const files = { stdout: path.join(dir, 'a.0.out'), stderr: path.join(dir, 'a.0.err') };
    fs.writeFileSync(files.stdout, '');
    fs.writeFileSync(files.stderr, '');
    // Registered once its process has run REGISTER_AFTER_MS: the first look is at 0.
    let now = -REGISTER_AFTER_MS;
    const rotated: string[] = [];
    const rotator = new LogRotator(() => undefined, { intervalMs: 1000, now: () => now });
    rotator.watch('a:0', files, { maxBytes: 100, keep: 1 }, { pid: process.pid, startTime: 0 }, (stream) => rotated.push(stream));
    rotator.check();
    assert.deepEqual(rotated, []);
    now = 0;
    rotator.check();
    // Quiet: not due for the next ten seconds, so growth goes unseen until then.
    fs.appendFileSync(files.stdout, 'x'.repeat(150));
    now = 5000;
    rotator.check();
    assert.deepEqual(rotated, []);
    now = 10_000;
    rotator.check();
    assert.deepEqual(rotated, ['stdout']);
    // It grew 150 bytes in 10 s: the next look comes when it could reach the cap at that rate (half-way).
    fs.appendFileSync(files.stdout, 'y'.repeat(150));
    now = 12_000;
    rotator.check();
    assert.deepEqual(rotated, ['stdout']);
    now = 13_400;
    rotator.check();
    assert.deepEqual(rotated, ['stdout', 'stdout']);
    rotator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
