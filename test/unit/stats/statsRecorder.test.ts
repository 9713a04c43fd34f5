/**
 * The stats recorder and its pusher: series by metric/subject/label, a window
 * that ages points out, batches only while someone listens, one batch per tick
 * whatever the number of points, none when nothing moved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsPusher, type Repeat } from '../../../agent/core/stats/statsPusher';
import { StatsRecorder } from '../../../agent/core/stats/statsRecorder';
import type { StatsBatch } from '../../../agent/protocol/stats';

function recorderAt(start: number): { recorder: StatsRecorder; clock: { now: number } } {
  const clock = { now: start };
  return { recorder: new StatsRecorder({ windowMs: 60_000, capacity: 100, now: () => clock.now }), clock };
}

/** A repeat whose ticks the test fires. */
function manualRepeat(): { repeat: Repeat; tick: () => void; running: () => boolean } {
  let tick: (() => void) | null = null;
  return {
    repeat: (callback) => {
      tick = callback;
      return () => (tick = null);
    },
    tick: () => tick?.(),
    running: () => tick !== null,
  };
}

describe('StatsRecorder', () => {
  it('reads every series with its points, named by metric, subject and label', () => {
    const { recorder } = recorderAt(1000);
    recorder.record({ metric: 'checkState', subject: 'disk' }, 0, undefined, 1000);
    recorder.record({ metric: 'checkState', subject: 'disk' }, 2, undefined, 2000);
    recorder.record({ metric: 'perf', subject: 'disk', label: 'used' }, 81, { unit: '%', warn: 80, crit: 90 }, 2000);
    const snapshot = recorder.read();
    assert.deepEqual(
      snapshot.series.map((series) => [series.id, series.title, series.unit, series.warn, series.crit]),
      [
        ['checkState|disk', 'disk', null, null, null],
        ['perf|disk|used', 'disk used', '%', 80, 90],
      ],
    );
    assert.deepEqual(snapshot.points, [
      { id: 'checkState|disk', t: [1000, 2000], v: [0, 2] },
      { id: 'perf|disk|used', t: [2000], v: [81] },
    ]);
    assert.deepEqual(recorder.read(1500).points[0], { id: 'checkState|disk', t: [2000], v: [2] });
  });

  it('ages points out of the window and forgets series left empty', () => {
    const { recorder, clock } = recorderAt(0);
    recorder.record({ metric: 'queueDepth', subject: 'q' }, 3, undefined, 0);
    recorder.record({ metric: 'queueDepth', subject: 'q' }, 1, undefined, 50_000);
    recorder.record({ metric: 'restart', subject: 'web:0' }, 2, undefined, 1000);
    clock.now = 70_000;
    const snapshot = recorder.read();
    assert.deepEqual(snapshot.points, [{ id: 'queueDepth|q', t: [50_000], v: [1] }]);
    assert.equal(recorder.size, 1);
  });

  it('records cpu and memory through the resources seam', () => {
    const { recorder } = recorderAt(5);
    recorder.recordResources('web:0', { cpuPercent: 12.5, memoryBytes: 4096 }, 5);
    assert.deepEqual(
      recorder.read().series.map((series) => [series.id, series.unit]),
      [
        ['cpu|web:0', '%'],
        ['memory|web:0', 'B'],
      ],
    );
  });

  it('keeps points in time order when one comes late', () => {
    const { recorder } = recorderAt(0);
    recorder.record({ metric: 'taskProgress', subject: '7' }, 10, undefined, 2000);
    recorder.record({ metric: 'taskProgress', subject: '7' }, 20, undefined, 1000);
    assert.deepEqual(recorder.read().points[0], { id: 'taskProgress|7', t: [2000, 2000], v: [10, 20] });
  });

  it('marks a series ended and lives it again with a new point', () => {
    const { recorder } = recorderAt(0);
    const key = { metric: 'taskProgress', subject: '7' } as const;
    recorder.record(key, 50, undefined, 10);
    recorder.end(key, 20);
    assert.equal(recorder.read().series[0]?.endedAt, 20);
    recorder.record(key, 60, undefined, 30);
    assert.equal(recorder.read().series[0]?.endedAt, null);
  });
});

describe('StatsPusher', () => {
  it('sends one batch per tick with every point since the last, and nothing when nothing moved', () => {
    const { recorder } = recorderAt(0);
    const timer = manualRepeat();
    const sent: StatsBatch[] = [];
    const pusher = new StatsPusher(recorder, (batch) => sent.push(batch), 1000, timer.repeat);
    pusher.setListening(true);
    for (let index = 0; index < 500; index++) recorder.record({ metric: 'queueDepth', subject: 'q' }, index, undefined, index);
    recorder.record({ metric: 'checkState', subject: 'disk' }, 1, undefined, 600);
    timer.tick();
    assert.equal(sent.length, 1);
    assert.deepEqual(
      sent[0]?.series.map((series) => series.id),
      ['queueDepth|q', 'checkState|disk'],
    );
    // 500 points in one tick, a ring of 100: the batch carries what the ring keeps, the newest.
    const depth = sent[0]?.points.find((points) => points.id === 'queueDepth|q');
    assert.equal(depth?.t.length, 100);
    assert.equal(depth?.t.at(0), 400);
    assert.equal(depth?.v.at(-1), 499);
    timer.tick();
    assert.equal(sent.length, 1, 'a tick with no new point sends nothing');
    recorder.record({ metric: 'checkState', subject: 'disk' }, 2, undefined, 700);
    timer.tick();
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1]?.points, [{ id: 'checkState|disk', t: [700], v: [2] }]);
    pusher.close();
  });

  it('runs its timer and keeps batches only while someone listens', () => {
    const { recorder } = recorderAt(0);
    const timer = manualRepeat();
    const sent: StatsBatch[] = [];
    const pusher = new StatsPusher(recorder, (batch) => sent.push(batch), 1000, timer.repeat);
    recorder.record({ metric: 'queueDepth', subject: 'q' }, 1, undefined, 1);
    assert.equal(timer.running(), false);
    pusher.setListening(true);
    assert.equal(timer.running(), true);
    timer.tick();
    assert.equal(sent.length, 0, 'points from before the first listener are in the snapshot, not in a batch');
    recorder.record({ metric: 'queueDepth', subject: 'q' }, 2, undefined, 2);
    pusher.setListening(false);
    assert.equal(timer.running(), false);
    assert.equal(recorder.takeBatch(), null);
    assert.equal(recorder.read().points[0]?.t.length, 2);
  });
});
