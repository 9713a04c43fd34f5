/**
 * Reading a feedback file as it changes, on a real temporary file: only new
 * bytes, touches as heartbeats, a replaced or truncated file read again, and a
 * reader resumed from saved progress.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { FeedbackReader } from '../../../agent/tasks/feedbackReader';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-feedback-'));
  file = path.join(dir, 'feedback_1.log');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a feedback reader', () => {
  test('sees nothing while the file does not exist, then reads it when created', async () => {
    const reader = new FeedbackReader(file);
    assert.deepEqual(await reader.read(), { updated: false, changed: false, mtimeMs: null });
    fs.writeFileSync(file, '[a]1\n');
    const look = await reader.read();
    assert.equal(look.updated, true);
    assert.equal(look.changed, true);
    assert.deepEqual(reader.values(), { a: '1' });
  });

  test('reads only appended bytes, holds a half-written line, and counts a touch as an update', async () => {
    fs.writeFileSync(file, '[a]1\n[b]');
    const reader = new FeedbackReader(file);
    await reader.read();
    assert.deepEqual(reader.values(), { a: '1' });
    assert.equal(reader.progress(null).offset, 5);
    fs.appendFileSync(file, '2\n');
    assert.equal((await reader.read()).changed, true);
    assert.deepEqual(reader.values(), { a: '1', b: '2' });
    assert.deepEqual(await reader.read(), { updated: false, changed: false, mtimeMs: null });
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    const touch = await reader.read();
    assert.deepEqual([touch.updated, touch.changed], [true, false]);
  });

  test('starts over on a replaced or truncated file', async () => {
    fs.writeFileSync(file, '[a]1\n[b]2\n');
    const reader = new FeedbackReader(file);
    await reader.read();
    fs.writeFileSync(`${file}.new`, '[c]3\n');
    fs.renameSync(`${file}.new`, file);
    await reader.read();
    assert.deepEqual(reader.values(), { c: '3' });
    fs.truncateSync(file, 0);
    await reader.read();
    assert.deepEqual(reader.values(), {});
  });

  test('applies an unterminated last line when the task ends', async () => {
    fs.writeFileSync(file, '[a]1\n[result]done');
    const reader = new FeedbackReader(file);
    await reader.read();
    assert.deepEqual(reader.values(), { a: '1' });
    reader.finish();
    assert.deepEqual(reader.values(), { a: '1', result: 'done' });
  });

  test('resumes from saved progress, reading only what was written since', async () => {
    fs.writeFileSync(file, '[a]1\n[b]2\n');
    const first = new FeedbackReader(file);
    await first.read();
    const saved = first.progress(123);
    fs.appendFileSync(file, '[b]\n[c]3\n');
    // The saved values are trusted: a reader that re-read the start would see b.
    const resumed = new FeedbackReader(file, { ...saved, values: { a: '1', b: '2', marker: 'saved' } });
    await resumed.read();
    assert.deepEqual(resumed.values(), { a: '1', marker: 'saved', c: '3' });
  });

  test('collapses a burst of requests into one read', async () => {
    fs.writeFileSync(file, '[a]1\n');
    const reader = new FeedbackReader(file);
    const looks = await Promise.all([reader.read(), reader.read(), reader.read(), reader.read()]);
    assert.ok(
      looks.every((look) => look === looks[0]),
      'the requests share one read',
    );
    assert.deepEqual(reader.values(), { a: '1' });
    fs.appendFileSync(file, '[b]2\n');
    assert.equal((await reader.read()).changed, true, 'a request after the burst reads again');
  });
});
