/**
 * The tasks store on a temporary SQLite file: a task's end moves it from the
 * running table to the history in one transaction (and only once), ids are
 * never reused, history pages and pruning, clear and initialize.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { TaskHistoryEntry } from '../../../agent/tasks/protocol';
import { openDatabase, type Db } from '../../../agent/store/database';
import { tasksModule } from '../../../agent/tasks';
import { TaskStore, type LiveTaskRow } from '../../../agent/tasks/taskStore';

let dir: string;
let db: Db;
let store: TaskStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-store-'));
  db = openDatabase(path.join(dir, 'state.db'), { migrations: tasksModule.migrations });
  store = new TaskStore(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function running(id: number, name = 'job'): LiveTaskRow {
  return {
    id,
    status: 'RUNNING',
    name,
    unique: false,
    info1: 'a',
    info2: null,
    info3: null,
    reservedAt: 1000,
    expiresAt: null,
    argv: ['sleep', '1'],
    cwd: '/tmp',
    pid: 4242,
    startTicks: 99,
    startedAt: 1000,
    timeoutMs: 5000,
    stdoutFile: `/logs/${id}.out`,
    stderrFile: `/logs/${id}.err`,
    feedbackFile: `/f/feedback_${id}.log`,
    keepFeedback: false,
    lastUpdateAt: 1500,
    feedback: { progress: '10' },
    feedbackOffset: 13,
    feedbackInode: '18446744073709551615',
    feedbackMtime: 1500.25,
  };
}

function ended(id: number, end: number, name = 'job'): TaskHistoryEntry {
  return {
    id,
    name,
    info1: null,
    info2: null,
    info3: null,
    argv: ['sleep', '1'],
    pid: 4242,
    outcome: 'exited',
    exitCode: 0,
    signal: null,
    error: null,
    start: 1000,
    end,
    durationMs: end - 1000,
    feedback: { progress: '100' },
    stdoutFile: `/logs/${id}.out`,
    stderrFile: `/logs/${id}.err`,
  };
}

describe('the tasks store', () => {
  test('keeps a running task with everything adoption needs, inode as text', () => {
    store.saveLive(running(1));
    assert.deepEqual(store.liveRows(), [running(1)]);
    store.saveFeedback(1, { lastUpdateAt: 2000, values: { progress: '20' }, offset: 26, inode: '7', mtimeMs: 2000 });
    const [row] = store.liveRows();
    assert.deepEqual([row?.lastUpdateAt, row?.feedback, row?.feedbackOffset, row?.feedbackInode], [2000, { progress: '20' }, 26, '7']);
  });

  test('moves a finished task to the history in one step, and refuses to record it twice', () => {
    store.saveLive(running(1));
    store.finish(ended(1, 3000), null);
    assert.deepEqual(store.liveRows(), []);
    assert.deepEqual(store.historyEntry(1), ended(1, 3000));
    // A second record of the same task fails and changes nothing.
    store.saveLive(running(1));
    assert.throws(() => store.finish(ended(1, 4000), null), /UNIQUE/);
    assert.equal(store.liveRows().length, 1, 'the failed transaction rolled back the delete');
  });

  test('never hands out an id twice, even after rows are deleted', () => {
    store.insertReservation(5, 'x', true, 1, 2);
    store.deleteLive(5);
    assert.equal(store.maxId(), 5);
    store.saveLive(running(6));
    store.finish(ended(6, 2000), null);
    store.clearHistory();
    assert.equal(store.maxId(), 6);
  });

  test('pages the history most recent end first, by name, and prunes beyond a limit', () => {
    for (const [id, end] of [
      [1, 3000],
      [2, 2000],
      [3, 4000],
    ] as const) {
      store.saveLive(running(id, id === 2 ? 'other' : 'job'));
      store.finish(ended(id, end, id === 2 ? 'other' : 'job'), null);
    }
    assert.deepEqual(
      store.history({ limit: null, offset: 0, name: null }).entries.map((entry) => entry.id),
      [3, 1, 2],
    );
    assert.deepEqual(store.history({ limit: 1, offset: 1, name: null }), { total: 3, entries: [ended(1, 3000)] });
    assert.deepEqual(
      store.history({ limit: null, offset: 0, name: 'job' }).entries.map((entry) => entry.id),
      [3, 1],
    );
    store.saveLive(running(4));
    const pruned = store.finish(ended(4, 5000), 2);
    // Each output file goes with its time index (FILE.times).
    assert.deepEqual(pruned, [
      '/logs/1.out',
      '/logs/1.out.times',
      '/logs/1.err',
      '/logs/1.err.times',
      '/logs/2.out',
      '/logs/2.out.times',
      '/logs/2.err',
      '/logs/2.err.times',
    ]);
    assert.deepEqual(
      store.history({ limit: null, offset: 0, name: null }).entries.map((entry) => entry.id),
      [4, 3],
    );
  });

  test('clears the history and returns the output files to remove; initialize restarts ids', () => {
    store.saveLive(running(1));
    store.finish(ended(1, 2000), null);
    store.insertReservation(2, null, false, 1, 2);
    assert.deepEqual(store.clearHistory(), { removed: 1, files: ['/logs/1.out', '/logs/1.out.times', '/logs/1.err', '/logs/1.err.times'] });
    assert.deepEqual(store.initialize(), { history: 0, reservations: 1 });
    assert.equal(store.maxId(), 0);
  });
});
