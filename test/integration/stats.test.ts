/**
 * `taskwarden stats` on a real agent: a job whose command alternates exit 0
 * and exit 2 shows both verdicts and its perf data with thresholds, a daemon
 * restart shows as a restart point, and a client subscribed to `stats` gets
 * the new points in a batch notification, and none once unsubscribed.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { SubscribeRequest, UnsubscribeRequest } from '../../agent/protocol/agent';
import { ReadStatsRequest, StatsPointsNotification, type StatsBatch } from '../../agent/protocol/stats';
import { Workspaces } from './tasks.helpers';
import { waitFor } from './support/waitFor';
import { FIXTURES } from './support/workspace';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

const FLAPPY =
  'if [ -e flag ]; then rm flag; echo "LOAD CRITICAL | load=5;1;3"; exit 2; else touch flag; echo "LOAD OK | load=0.5;1;3"; exit 0; fi';

const CONFIG = [
  'tasks:',
  `  web: {control: wait, commands: {start: [${path.join(FIXTURES, 'sleep-forever.sh')}]}}`,
  'jobs:',
  `  flappy: {task: command, params: {cmd: [sh, -c, '${FLAPPY}']}}`,
  '',
].join('\n');

function pointsAfter(batch: StatsBatch, time: number): number {
  return batch.points.reduce((sum, points) => sum + points.t.filter((at) => at > time).length, 0);
}

function pointsOf(batch: StatsBatch, id: string): readonly number[] {
  return batch.points.find((points) => points.id === id)?.v ?? [];
}

describe('taskwarden stats', () => {
  it('shows a job’s state change with its perf data and a daemon’s restart, as JSON and as a table', async () => {
    const ws = workspaces.create(CONFIG);
    await waitFor(async () => (await ws.cli(['ps', '--json'])).stdout.includes('"running"'), { what: 'web to run', timeoutMs: 20_000 });
    // The command alternates OK and CRITICAL: two runs give both.
    for (let run = 0; run < 2; run++) assert.equal((await ws.cli(['job', 'run', 'flappy', '--json'])).stdout.startsWith('{'), true);
    const restart = await ws.cli(['restart', 'web']);
    assert.equal(restart.code, 0, restart.stderr);

    const batch = await waitFor(
      async () => {
        const result = await ws.cli(['stats', '--json']);
        assert.equal(result.code, 0, result.stderr);
        const parsed = JSON.parse(result.stdout) as StatsBatch;
        return pointsOf(parsed, 'restart|web:0').length > 0 ? parsed : null;
      },
      { what: 'a restart point', timeoutMs: 20_000 },
    );
    const states = pointsOf(batch, 'checkState|flappy');
    assert.ok(states.includes(0) && states.includes(2), `flappy's verdicts: ${JSON.stringify(states)}`);
    assert.deepEqual(
      batch.series.find((series) => series.id === 'perf|flappy|load'),
      {
        metric: 'perf',
        subject: 'flappy',
        label: 'load',
        id: 'perf|flappy|load',
        title: 'flappy load',
        unit: null,
        warn: 1,
        crit: 3,
        levels: null,
        endedAt: null,
      },
    );
    assert.deepEqual(batch.series.find((series) => series.id === 'checkState|flappy')?.levels, ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']);
    assert.equal(batch.series.find((series) => series.id === 'daemonState|web:0')?.levels?.includes('running'), true);
    assert.ok(pointsOf(batch, 'perf|flappy|load').includes(5));
    assert.ok(pointsOf(batch, 'daemonState|web:0').length >= 2, 'the restart changed the state');

    const table = await ws.cli(['stats', '--since', '10m']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^METRIC +SERIES +POINTS +LAST +AT$/m);
    assert.match(table.stdout, /^checkState +flappy +\d+ +(OK|CRITICAL) /m);
    assert.match(table.stdout, /^restart +web:0 +1 +1 restart /m);
    assert.match(table.stdout, /^daemonState +web:0 +\d+ +(running|starting|backoff) /m);
  });

  it('pushes new points to a subscribed client in batches, and rejects a bad --since', async () => {
    const ws = workspaces.create('jobs:\n  flappy: {task: noop, schedule: {every: 1s}}\n');
    assert.equal((await ws.cli(['status'])).code, 0);
    const agent = await ws.connect();
    const batches: StatsBatch[] = [];
    agent.connection.onNotification(StatsPointsNotification.type, (batch) => {
      batches.push(batch);
    });
    await agent.connection.sendRequest(SubscribeRequest.type, { topics: ['stats'] });
    const snapshot = await agent.connection.sendRequest(ReadStatsRequest.type, {});
    const batch = await waitFor(() => batches.find((candidate) => pointsOf(candidate, 'checkState|flappy').length > 0), {
      what: 'a batch with a check state',
      timeoutMs: 15_000,
    });
    // The series is named in the snapshot (or, if new since, in a batch); the batch carries its new points only.
    const named = [snapshot, ...batches].some((read) => read.series.some((series) => series.id === 'checkState|flappy'));
    assert.ok(named, 'the series is known to the client');
    const newest = Math.max(...(snapshot.points.find((points) => points.id === 'checkState|flappy')?.t ?? [0]));
    const pushed = batch.points.find((points) => points.id === 'checkState|flappy')!.t;
    assert.ok(
      pushed.every((time) => time > newest - 1000),
      'a batch brings points recorded since, not the history',
    );

    // Unsubscribed, the client gets no more batches while the job goes on recording.
    await agent.connection.sendRequest(UnsubscribeRequest.type, { topics: ['stats'] });
    const unsubscribedAt = Date.now();
    await waitFor(
      async () => {
        const read = JSON.parse((await ws.cli(['stats', '--json'])).stdout) as StatsBatch;
        // A point recorded over a second after the unsubscribe, and another a second later: a tick would have sent the first.
        return pointsAfter(read, unsubscribedAt + 2500) > 0;
      },
      { what: 'the job to record on after the unsubscribe', timeoutMs: 15_000 },
    );
    const late = batches.filter((candidate) => pointsAfter(candidate, unsubscribedAt) > 0);
    assert.deepEqual(late, [], 'no batch after the unsubscribe');

    const bad = await ws.cli(['stats', '--since', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'yesterday' is neither a duration back from now \(10m, 1h, 30s\) nor an ISO time/);
  });
});
