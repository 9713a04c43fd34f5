import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { instanceLogFiles, rotateIfNeeded } from '../../../agent/daemons/logs';

describe('daemon log files', () => {
  it('names files by task and instance, with unsafe characters replaced', () => {
    assert.deepEqual(instanceLogFiles('/logs', 'web/api v2', 3), { stdout: '/logs/web_api_v2.3.out', stderr: '/logs/web_api_v2.3.err' });
  });

  it('rotates a file over its cap into .1, shifting older ones and dropping the oldest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-logs-'));
    const file = path.join(dir, 'a.0.out');
    const policy = { maxBytes: 10, keep: 2 };
    fs.writeFileSync(file, 'small\n');
    assert.equal(rotateIfNeeded(file, policy), false);
    for (const round of ['first', 'second', 'third']) {
      fs.writeFileSync(file, `${round} round of lines\n`);
      assert.equal(rotateIfNeeded(file, policy), true);
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
    assert.equal(rotateIfNeeded(file, { maxBytes: 10, keep: 0 }), true);
    assert.deepEqual(fs.readdirSync(dir), ['a.0.out']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
