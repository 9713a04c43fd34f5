import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { useUserSchemas } from '../../../agent/jobs/handlers/userSchemas';
import { jobCompletion, paramHover } from '../../../agent/jobs/jobCompletion';
import { withCursor } from '../server/cursorText';

const handlersRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-handlers-'));
fs.writeFileSync(path.join(handlersRoot, 'disk_usage.ts'), 'export const schema = {};\n');
fs.writeFileSync(path.join(handlersRoot, 'backup.mjs'), 'export const schema = {};\n');
fs.writeFileSync(path.join(handlersRoot, 'notes.txt'), 'not a handler\n');
after(() => fs.rmSync(handlersRoot, { recursive: true, force: true }));

function labels(marked: string): string[] {
  const { text, line, character } = withCursor(marked);
  return jobCompletion(text, line, character, handlersRoot).map((item) => item.label);
}

const QUEUES = 'queues:\n  build: {}\n  deploy: {concurrency: 2}\n';

describe('completion in a job', () => {
  it("completes a job's task with the built-in handlers and the modules of the handlers folder", () => {
    assert.deepEqual(labels('jobs:\n  nightly:\n    task: ‸').sort(), ['backup', 'command', 'disk_usage', 'http', 'noop', 'queue']);
    assert.deepEqual(labels('jobs:\n  nightly: {task: co‸}').sort(), ['backup', 'command', 'disk_usage', 'http', 'noop', 'queue']);
  });

  it("completes the param names of the job's handler from its schema, without those written", () => {
    assert.deepEqual(labels('jobs:\n  nightly:\n    task: command\n    params:\n      ‸'), ['cmd', 'cwd', 'env']);
    assert.deepEqual(labels('jobs:\n  ping:\n    task: http\n    params:\n      url: http://x\n      ‸').slice(0, 3), [
      'method',
      'headers',
      'body',
    ]);
    assert.deepEqual(labels('jobs:\n  push:\n    params:\n      ‸\n    task: queue\n'), ['queue', 'cmd', 'cwd', 'env', 'wait']);
  });

  it("completes a queue handler's params.queue with the queues of the file, and a param's enum values", () => {
    assert.deepEqual(labels(`${QUEUES}jobs:\n  push:\n    task: queue\n    params:\n      queue: ‸`), ['build', 'deploy']);
    assert.deepEqual(labels(`${QUEUES}jobs:\n  push:\n    task: queue\n    params: {queue: de‸, cmd: [x]}`), ['build', 'deploy']);
    assert.deepEqual(labels('jobs:\n  ping:\n    task: http\n    params:\n      method: ‸'), [
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'PATCH',
      'OPTIONS',
    ]);
    assert.deepEqual(labels('jobs:\n  j:\n    task: noop\n    params:\n      state: ‸'), ['0', '1', '2', '3']);
  });

  it("completes a user handler's param names once the agent has read its schema, and none before", () => {
    assert.deepEqual(labels('jobs:\n  j:\n    task: disk_usage\n    params:\n      ‸'), []);
    const schemas = new Map([
      [path.join(handlersRoot, 'disk_usage.ts'), { properties: { mount: { type: 'string', description: 'the mount point' }, warn: {} } }],
    ]);
    const stop = useUserSchemas({ schemaOf: (file) => schemas.get(file) });
    try {
      assert.deepEqual(labels('jobs:\n  j:\n    task: disk_usage\n    params:\n      ‸'), ['mount', 'warn']);
      const { text, line, character } = withCursor('jobs:\n  j:\n    task: disk_usage\n    params:\n      mo‸unt: /\n');
      assert.match(JSON.stringify(paramHover(text, line, character, handlersRoot)?.contents), /the mount point/);
    } finally {
      stop();
    }
  });

  it('offers nothing outside a job', () => {
    assert.deepEqual(labels('queues:\n  q:\n    ‸'), []);
    assert.deepEqual(labels('jobs:\n  j:\n    ‸'), []);
  });

  it("explains a param key from its handler's schema", () => {
    const { text, line, character } = withCursor('jobs:\n  j:\n    task: queue\n    params:\n      wa‸it: true\n');
    const hover = paramHover(text, line, character, handlersRoot);
    assert.deepEqual(hover?.contents, {
      kind: 'markdown',
      value: "`wait` (queue handler): Wait for the item's end: its state becomes the job's (done → OK, error → CRITICAL).",
    });
  });
});
