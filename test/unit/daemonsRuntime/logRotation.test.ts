import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { instanceLogFiles, LogRotator, rotateIfNeeded } from '../../../agent/daemons/logs';

describe('daemon log files', () => {
  it('names files by task and instance, with unsafe characters escaped', () => {
    assert.deepEqual(instanceLogFiles('/logs', 'web/api v2', 3), {
      stdout: '/logs/web%2Fapi%20v2.3.out',
      stderr: '/logs/web%2Fapi%20v2.3.err',
    });
  });

  it('rotates a file over its cap into .1, shifting older ones and dropping the oldest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-logs-'));
    const file = path.join(dir, 'a.0.out');
    const policy = { maxBytes: 10, keep: 2 };
    fs.writeFileSync(file, 'small\n');
    assert.equal(rotateIfNeeded(file, policy), 0);
    for (const round of ['first', 'second', 'third']) {
      fs.writeFileSync(file, `${round} round of lines\n`);
      assert.equal(rotateIfNeeded(file, policy), Infinity, 'a file of less than a block is emptied');
      assert.equal(fs.statSync(file).size, 0);
    }
    assert.equal(fs.readFileSync(`${file}.1`, 'utf8'), 'third round of lines\n');
    assert.equal(fs.readFileSync(`${file}.2`, 'utf8'), 'second round of lines\n');
    assert.equal(fs.existsSync(`${file}.3`), false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps nothing with keep 0: the file is just emptied', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-logs-'));
    const file = path.join(dir, 'a.0.out');
    fs.writeFileSync(file, 'more than ten bytes\n');
    assert.equal(rotateIfNeeded(file, { maxBytes: 10, keep: 0 }), Infinity);
    assert.deepEqual(fs.readdirSync(dir), ['a.0.out']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the log rotator', () => {
  it('looks at a quiet file every ten seconds and at a growing one as often as its growth needs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-logs-'));
    const files = { stdout: path.join(dir, 'a.0.out'), stderr: path.join(dir, 'a.0.err') };
    fs.writeFileSync(files.stdout, '');
    fs.writeFileSync(files.stderr, '');
    let now = 0;
    const rotated: string[] = [];
    const rotator = new LogRotator(
      () => undefined,
      1000,
      () => now,
    );
    rotator.watch('a:0', files, { maxBytes: 100, keep: 1 }, (stream) => rotated.push(stream));
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
