/**
 * The dashboard page's data: the snapshot and batches merged without repeats,
 * points aged out of the agent's window, series by metric; a queue's
 * throughput binned from its finished count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeriesStore } from '../../../extension/dashboard/page/seriesStore';
import { throughput } from '../../../extension/dashboard/page/throughput';
import type { StatsBatch, StatsSeriesInfo } from '../../../agent/protocol/stats';

function info(metric: StatsSeriesInfo['metric'], subject: string): StatsSeriesInfo {
  return { metric, subject, id: `${metric}|${subject}`, title: subject, unit: null, warn: null, crit: null, levels: null, endedAt: null };
}

function batch(at: number, series: StatsSeriesInfo[], points: StatsBatch['points']): StatsBatch {
  return { at, windowMs: 60_000, series, points };
}

describe('the dashboard page’s series', () => {
  it('adds a batch’s points after the snapshot, dropping those it already has', () => {
    const store = new SeriesStore();
    const depth = info('queueDepth', 'q');
    store.apply('snapshot', batch(2000, [depth], [{ id: depth.id, t: [1000, 2000], v: [1, 2] }]));
    store.apply('points', batch(3000, [], [{ id: depth.id, t: [2000, 3000], v: [2, 3] }]));
    const [series] = store.of('queueDepth');
    assert.deepEqual(
      [series?.t, series?.v],
      [
        [1000, 2000, 3000],
        [1, 2, 3],
      ],
    );
    assert.deepEqual(store.of('cpu'), []);
    assert.equal(store.earliest(), 1000);
  });

  it('ages points out of the agent’s window and forgets a series left empty; a snapshot replaces everything', () => {
    const store = new SeriesStore();
    const depth = info('queueDepth', 'q');
    const state = info('checkState', 'disk');
    store.apply(
      'snapshot',
      batch(
        10_000,
        [depth, state],
        [
          { id: depth.id, t: [5000, 9000], v: [1, 2] },
          { id: state.id, t: [6000], v: [0] },
        ],
      ),
    );
    store.apply('points', batch(68_000, [], [{ id: depth.id, t: [68_000], v: [4] }]));
    assert.deepEqual(store.of('queueDepth')[0]?.t, [9000, 68_000]);
    assert.deepEqual(store.of('checkState'), []);
    store.apply('snapshot', batch(70_000, [state], [{ id: state.id, t: [69_000], v: [2] }]));
    assert.deepEqual(store.of('queueDepth'), []);
    assert.deepEqual(store.of('checkState')[0]?.v, [2]);
  });

  it('bins a finished count into items per minute, 10 seconds a bin', () => {
    const done = { info: info('queueDone', 'q'), t: [0, 12_000, 14_000, 31_000], v: [0, 1, 3, 4] };
    const line = throughput(done, { from: 0, to: 35_000 });
    assert.deepEqual(line.t, [0, 10_000, 20_000, 30_000]);
    assert.deepEqual(line.v, [0, 18, 0, 6]);
    assert.equal(line.sourcePoints, 4);
    assert.equal(line.stepped, true);
  });
});
