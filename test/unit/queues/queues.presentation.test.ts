/**
 * The full record of a queue item as lines, shared by `queue show`/`wait` and the Queues view's
 * hover: every field of process-queue's record is there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueItemDetails } from '../../../agent/queues/protocol';
import type { QueueItem } from '../../../agent/queues/protocol';

const killed: QueueItem = {
  id: 'build-7',
  queue: 'build',
  state: -1,
  cmd: ['make', 'all targets'],
  cwd: 'sub',
  env: { MODE: 'fast' },
  after: ['build-6'],
  pid: 4242,
  exit: -9,
  stderr: 3,
  error: 'killed',
  warnings: ['stderr stream has 3 lines.'],
  killed: true,
  timeQueue: Date.UTC(2026, 11, 5, 10, 0, 0),
  timeStart: Date.UTC(2026, 11, 5, 10, 0, 1),
  timeEnd: Date.UTC(2026, 11, 5, 10, 0, 9),
  final: { cmd: ['make', 'all targets'], cwd: '/ws/sub', env: { MODE: 'fast', _ID_: 'build-7' } },
  stdoutFile: '/ws/.taskwarden/logs/queues/build-7.out',
  stderrFile: '/ws/.taskwarden/logs/queues/build-7.err',
};

describe('a queue item in full', () => {
  it('gives every field of the record, one a line', () => {
    assert.deepEqual(queueItemDetails(killed), [
      'id:         build-7',
      'queue:      build',
      'state:      -1 (killed)',
      'cmd:        make "all targets"',
      'cwd:        sub',
      'env:        MODE=fast',
      'after:      build-6',
      'pid:        4242',
      'exit:       -9',
      'stderr:     3 lines',
      'error:      killed',
      'killed:     true',
      'time-queue: 2026-12-05T10:00:00.000Z',
      'time-start: 2026-12-05T10:00:01.000Z',
      'time-end:   2026-12-05T10:00:09.000Z',
      'warning:    stderr stream has 3 lines.',
      'final cmd:  make "all targets"',
      'final cwd:  /ws/sub',
      'final env:  MODE=fast',
      'final env:  _ID_=build-7',
      'stdout log: /ws/.taskwarden/logs/queues/build-7.out',
      'stderr log: /ws/.taskwarden/logs/queues/build-7.err',
    ]);
  });

  it('says what a queued item does not have yet', () => {
    const queued: QueueItem = {
      ...killed,
      state: 0,
      pid: null,
      exit: null,
      stderr: 0,
      error: null,
      warnings: [],
      killed: false,
      timeStart: null,
      timeEnd: null,
      final: null,
      stdoutFile: null,
      stderrFile: null,
      cwd: null,
      after: [],
    };
    const lines = queueItemDetails(queued);
    assert.ok(lines.includes('state:      0 (queued)'));
    assert.ok(lines.includes('cwd:        (queue workdir)'));
    assert.ok(lines.includes('time-start: -'));
    assert.ok(!lines.some((line) => line.startsWith('final') || line.startsWith('stdout')));
  });
});
