/**
 * What the parts record: a Nagios range's level to draw, a job's check event,
 * a daemon's restarts and crash loop, a queue's depth only when it moved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsRecorder } from '../../../agent/core/stats/statsRecorder';
import { DaemonStatsFeed } from '../../../agent/daemons/statsFeed';
import { recordCheckEvent, thresholdLevel } from '../../../agent/jobs/statsFeed';
import type { DaemonInstanceInfo } from '../../../agent/daemons/protocol';
import type { CheckEvent } from '../../../agent/jobs/protocol';
import type { QueueSummary } from '../../../agent/queues/protocol';
import { QueueStatsFeed } from '../../../agent/queues/statsFeed';

function points(recorder: StatsRecorder): Record<string, readonly number[]> {
  return Object.fromEntries(recorder.read().points.map((series) => [series.id, series.v]));
}

describe('thresholdLevel', () => {
  it('draws the upper bound of a range, else its lower bound', () => {
    assert.equal(thresholdLevel('10'), 10);
    assert.equal(thresholdLevel('~:20'), 20);
    assert.equal(thresholdLevel('@10:20'), 20);
    assert.equal(thresholdLevel('5:'), 5);
    assert.equal(thresholdLevel('0.5:1.5'), 1.5);
    assert.equal(thresholdLevel('~:'), null);
    assert.equal(thresholdLevel('abc'), null);
    assert.equal(thresholdLevel(null), null);
  });
});

describe('the parts’ stats feeds', () => {
  it('records a check event’s state and each perf datum with its levels', () => {
    const recorder = new StatsRecorder();
    const endedAt = Math.floor(Date.now() / 1000) * 1000 + 500;
    const event = {
      timestamp: endedAt / 1000,
      resource: 'disk',
      state: 1,
      perf_data: [
        { label: 'used', value: 85, uom: '%', warn: '80', crit: '90', min: null, max: null },
        { label: 'unknown', value: null, uom: '', warn: null, crit: null, min: null, max: null },
      ],
    } as unknown as CheckEvent;
    recordCheckEvent(recorder, event);
    const snapshot = recorder.read();
    assert.deepEqual(snapshot.points, [
      { id: 'checkState|disk', t: [endedAt], v: [1] },
      { id: 'perf|disk|used', t: [endedAt], v: [85] },
    ]);
    const perf = snapshot.series.find((series) => series.id === 'perf|disk|used');
    assert.deepEqual([perf?.unit, perf?.warn, perf?.crit], ['%', 80, 90]);
  });

  it('records a daemon’s state changes, restarts after the first start and crash loops', () => {
    const recorder = new StatsRecorder();
    const feed = new DaemonStatsFeed(recorder);
    const instance = (state: DaemonInstanceInfo['state'], restarts: number, crashLoop = false) =>
      ({ id: 'web:0', state, restarts, crashLoop }) as DaemonInstanceInfo;
    feed.instances([instance('running', 0)]);
    feed.instances([instance('running', 0)]);
    feed.instances([instance('backoff', 0)]);
    feed.instances([instance('running', 1)]);
    feed.instances([instance('crashloop', 1, true)]);
    assert.deepEqual(points(recorder), {
      'daemonState|web:0': [2, 4, 2, 5],
      'restart|web:0': [1],
      'crashLoop|web:0': [1],
    });
  });

  it('records a queue’s depth and finished count only when they move', () => {
    const recorder = new StatsRecorder();
    const feed = new QueueStatsFeed(recorder);
    const summary = (queued: number, done: number) => ({ name: 'q', queued, done, failed: 0 }) as QueueSummary;
    feed.summaries([summary(2, 0)]);
    feed.summaries([summary(2, 0)]);
    feed.summaries([summary(1, 1)]);
    assert.deepEqual(points(recorder), { 'queueDepth|q': [2, 1], 'queueDone|q': [0, 1] });
  });
});
