/**
 * The groups store on a temporary SQLite file: round ends are written in
 * batches (a read sees them at once), and a group's tasklet status, saved less
 * often than its rounds, is caught up from the round history when an agent that
 * did not stop cleanly loads it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { groupsMigration, packedRoundsMigration } from '../../../agent/groups/migrations';
import { mergeLoaded, TaskletBoard } from '../../../agent/groups/groupStatus';
import { recordOf } from '../../../agent/groups/roundRecord';
import { GroupStore } from '../../../agent/groups/groupStore';
import type { GroupRound, TaskletInfo, TaskletStatus } from '../../../agent/groups/protocol';
import { openDatabase, type Db } from '../../../agent/store/database';

let dir: string;
let file: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-groups-store-'));
  file = path.join(dir, 'state.db');
  db = openDatabase(file, { migrations: [groupsMigration, packedRoundsMigration] });
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const infos: TaskletInfo[] = ['a.js', 'b.js'].map((name) => ({
  name,
  file: `/g/${name}`,
  priority: 1,
  prioritySource: 'default',
  description: null,
  mainLine: 1,
  hasMatch: true,
}));

/** Round `n`: a.js runs every round, b.js matches only in odd rounds. */
function round(n: number): GroupRound {
  const at = 1_000_000 + n * 1000;
  return {
    group: 'g',
    round: n,
    startedAt: at,
    endedAt: at + 5,
    endedBy: 'done',
    results: [
      { name: 'a.js', outcome: 'ok', matched: true, startedAt: at, durationMs: 1, error: null },
      n % 2 === 1
        ? { name: 'b.js', outcome: 'ok', matched: true, startedAt: at + 1, durationMs: 2, error: null }
        : { name: 'b.js', outcome: 'not-matched', matched: false, startedAt: null, durationMs: 0, error: null },
    ],
  };
}

/** A round with every kind of result: an error with its stack, a timeout in match, a skipped one. */
const varied: GroupRound = {
  group: 'g',
  round: 9,
  startedAt: 2_000_000,
  endedAt: 2_000_050,
  endedBy: 'break',
  results: [
    {
      name: 'a.js',
      outcome: 'error',
      matched: true,
      startedAt: 2_000_001,
      durationMs: 4,
      error: { message: 'boom', stack: ['at main (a.js:2:9)'] },
    },
    {
      name: 'b.js',
      outcome: 'timeout',
      matched: null,
      startedAt: null,
      durationMs: 30,
      error: { message: 'match did not finish', stack: [] },
    },
    { name: 'c.js', outcome: 'ok', matched: true, startedAt: 2_000_040, durationMs: 0, error: null },
    { name: 'd.js', outcome: 'not-matched', matched: false, startedAt: null, durationMs: 1, error: null },
    { name: 'e.js', outcome: 'skipped', matched: null, startedAt: null, durationMs: 0, error: null },
  ],
};

/** Records rounds 1..n as the live group does, a read after the first (a flush); returns the status after them. */
function record(store: GroupStore, n: number): readonly TaskletStatus[] {
  const board = new TaskletBoard(mergeLoaded(infos, []));
  store.ensure('g');
  store.setTasklets('g', board.statuses());
  for (let index = 1; index <= n; index++) {
    board.apply(recordOf(round(index)));
    store.recordRound(recordOf(round(index)), { count: index }, index, () => board.statuses(), 100);
    if (index === 1) store.history('g', 1);
  }
  return board.statuses();
}

describe('group store', () => {
  test('a read right after round ends sees them, newest first, and the history stays bounded', () => {
    const store = new GroupStore(db);
    const board = new TaskletBoard(mergeLoaded(infos, []));
    store.ensure('g');
    for (let index = 1; index <= 7; index++) {
      board.apply(recordOf(round(index)));
      store.recordRound(recordOf(round(index)), {}, index, () => board.statuses(), 5);
    }
    assert.deepEqual(
      store.history('g', 10).map((entry) => entry.round),
      [7, 6, 5, 4, 3],
    );
    store.recordRound(recordOf(round(8)), null, 8, () => board.statuses(), 5);
    assert.deepEqual(
      store.history('g', 10).map((entry) => entry.round),
      [8, 7, 6, 5, 4],
    );
  });

  test('a store that was not closed (an agent crash) loads the tasklet status of the last round, from the history', () => {
    const crashed = new GroupStore(db);
    const expected = record(crashed, 6);
    // All rounds flushed (a read) within the save interval after the load's save: the row holds the loaded status.
    crashed.history('g', 1);
    const row = db.prepare('SELECT tasklets FROM group_state WHERE name = ?').get('g') as { tasklets: string };
    assert.deepEqual(JSON.parse(row.tasklets), mergeLoaded(infos, []));
    db.close();
    db = openDatabase(file, { migrations: [groupsMigration, packedRoundsMigration] });
    const loaded = new GroupStore(db).loadAll();
    assert.equal(loaded.length, 1);
    assert.equal(loaded[0]!.rounds, 6);
    assert.deepEqual(loaded[0]!.params, { count: 6 });
    assert.deepEqual(loaded[0]!.tasklets, expected);
    assert.equal(loaded[0]!.tasklets.find((status) => status.name === 'b.js')!.lastRunAt, round(5).startedAt + 1);
  });

  test('history gives back each round exactly as it was recorded, packed in between', () => {
    const store = new GroupStore(db);
    store.ensure('g');
    store.recordRound(recordOf(varied), { n: 1 }, 9, () => [], 10);
    store.recordRound(recordOf(round(10)), null, 10, () => [], 10);
    assert.deepEqual(store.history('g', 2), [round(10), varied]);
    const row = db.prepare('SELECT record FROM group_rounds WHERE round = 10').get() as { record: string };
    assert.ok(!row.record.includes('"outcome"'), `a row is packed: ${row.record}`);
  });

  test("a round whose params did not change keeps the last round's params", () => {
    const store = new GroupStore(db);
    store.ensure('g');
    store.recordRound(recordOf(round(1)), { count: 1 }, 1, () => [], 10);
    store.recordRound(recordOf(round(2)), null, 2, () => [], 10);
    store.close();
    const [loaded] = new GroupStore(db).loadAll();
    assert.deepEqual(loaded!.params, { count: 1 });
    assert.equal(loaded!.paramsAt, round(1).endedAt);
    assert.equal(loaded!.rounds, 2);
  });

  test('migration 14 packs the rounds an older agent stored, and history reads them as they were', () => {
    db.close();
    fs.rmSync(file);
    db = openDatabase(file, { migrations: [groupsMigration] });
    const insert = db.prepare('INSERT INTO group_rounds (name, round, record) VALUES (?, ?, ?)');
    for (const old of [round(1), varied, { ...round(3), results: [] }]) insert.run('g', old.round, JSON.stringify(old));
    db.close();
    db = openDatabase(file, { migrations: [groupsMigration, packedRoundsMigration] });
    assert.deepEqual(new GroupStore(db).history('g', 10), [{ ...round(3), results: [] }, varied, round(1)]);
  });

  test('close writes the tasklet status itself', () => {
    const store = new GroupStore(db);
    const expected = record(store, 4);
    store.close();
    const row = db.prepare('SELECT tasklets FROM group_state WHERE name = ?').get('g') as { tasklets: string };
    assert.deepEqual(JSON.parse(row.tasklets), expected);
  });
});
