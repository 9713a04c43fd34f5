/**
 * Jobs on their real timers: `every` occurrences fire within tolerance, an
 * occurrence that falls during a run is skipped and counted (never two runs at
 * once), pause and resume, and SIGKILL of the agent across occurrences (one
 * catch-up run, no burst) and mid-run (the command is adopted, not run again).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { processIsAlive } from '../../agent/proc/processIdentity';
import type { CheckEvent, JobSummary } from '../../agent/jobs/protocol';
import { Workspaces } from './tasks.helpers';
import { waitFor } from './support/waitFor';
import type { TestWorkspace } from './support/workspace';

const workspaces = new Workspaces();
afterEach(() => workspaces.cleanup());
after(() => assert.deepEqual(workspaces.leaks(), [], 'processes left behind'));

async function events(ws: TestWorkspace, name: string): Promise<CheckEvent[]> {
  const result = await ws.cli(['job', 'events', name, '--json', '--limit', '1000']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CheckEvent);
}

async function summary(ws: TestWorkspace, name: string): Promise<JobSummary> {
  const result = await ws.cli(['job', 'list', '--json']);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as JobSummary[]).find((job) => job.name === name)!;
}

function lines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function killAgent(ws: TestWorkspace): Promise<void> {
  const pid = await ws.agentPid();
  assert.ok(pid !== null, 'an agent runs');
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !processIsAlive(pid), { what: 'the agent to die' });
}

describe('scheduled jobs', () => {
  it('fire every second on the second, within tolerance, after a first run at once', async () => {
    const ws = workspaces.create('jobs:\n  tick: {task: noop, schedule: {every: 1s}}\n');
    await ws.cli(['job', 'list']);
    const seen = await waitFor(
      async () => {
        const found = await events(ws, 'tick');
        return found.length >= 5 ? found : null;
      },
      { timeoutMs: 15_000, what: '5 events' },
    );
    // The first run is the one at start; then each starts just after a whole second.
    const lateness = seen.slice(1).map((event) => Math.round((event.timestamp - event.execution_time) * 1000) % 1000);
    for (const late of lateness) assert.ok(late < 250, `started ${late} ms after its second (${lateness.join(', ')})`);
    const starts = seen.map((event) => Math.floor(event.timestamp - event.execution_time));
    assert.equal(new Set(starts.slice(1)).size, starts.length - 1, 'one run per occurrence');
  });

  it('skip and count an occurrence that falls while the previous run still runs, never overlapping', async () => {
    const ws = workspaces.create(
      'jobs:\n  long: {task: command, schedule: {every: 1s}, params: {cmd: [sh, -c, "echo start >> runs; sleep 2.2; echo end >> runs"]}}\n',
    );
    await ws.cli(['job', 'list']);
    const job = await waitFor(
      async () => {
        const found = await summary(ws, 'long');
        return found.skipped >= 3 ? found : null;
      },
      { timeoutMs: 20_000, what: 'three skipped occurrences' },
    );
    assert.ok(job.skipped >= 3);
    await ws.cli(['job', 'pause', 'long']);
    await waitFor(async () => (await summary(ws, 'long')).runningSince === null, { timeoutMs: 10_000, what: 'the run to end' });
    const runs = lines(path.join(ws.dir, 'runs'));
    // start/end strictly alternate: no two runs at once.
    runs.forEach((line, index) => assert.equal(line, index % 2 === 0 ? 'start' : 'end', runs.join(',')));
    const paused = await summary(ws, 'long');
    assert.deepEqual([paused.paused, paused.nextRun], [true, null]);
    const resumed = JSON.parse((await ws.cli(['job', 'list', '--json'])).stdout) as JobSummary[];
    assert.equal(resumed[0]?.paused, true);
  });

  it('catch up once after the agent was SIGKILLed across several occurrences, then go on with the schedule', async () => {
    const ws = workspaces.create(
      'jobs:\n  stamp: {task: command, schedule: {every: 3s}, params: {cmd: [sh, -c, "date +%s%N >> stamps"]}}\n',
    );
    const stamps = path.join(ws.dir, 'stamps');
    await ws.cli(['job', 'list']);
    await waitFor(() => lines(stamps).length >= 2, { timeoutMs: 10_000, what: 'two runs' });
    await killAgent(ws);
    const before = lines(stamps).length;
    // Stay down across two occurrences or more.
    const downUntil = Date.now() + 7000;
    await waitFor(() => Date.now() > downUntil, { timeoutMs: 10_000, intervalMs: 200 });
    assert.equal(lines(stamps).length, before, 'nothing runs while the agent is down');
    const restarted = Date.now();
    await ws.cli(['job', 'list']);
    await waitFor(() => lines(stamps).length === before + 1, { timeoutMs: 5000, what: 'the catch-up run' });
    const catchUp = Number(lines(stamps)[before]!) / 1e6;
    // The next run is the next occurrence, not another catch-up.
    await waitFor(() => lines(stamps).length >= before + 2, { timeoutMs: 8000, what: 'the next occurrence' });
    const nextRun = Number(lines(stamps)[before + 1]!) / 1e6;
    assert.ok(catchUp - restarted < 3000, 'the catch-up ran at start');
    // A restart just before an occurrence may see that occurrence a moment after the catch-up: it must be on the schedule.
    const onSchedule = (at: number): boolean => Math.round(at) % 3000 < 500 || Math.round(at) % 3000 > 2900;
    assert.ok(onSchedule(nextRun), `the next run is on the schedule (${Math.round(nextRun - catchUp)} ms after the catch-up)`);
    await waitFor(() => lines(stamps).length >= before + 3, { timeoutMs: 8000, what: 'the occurrence after it' });
    const third = Number(lines(stamps)[before + 2]!) / 1e6;
    assert.ok(third - nextRun > 2500 && onSchedule(third), `one catch-up run, then every 3 s (${Math.round(third - nextRun)} ms apart)`);
  });

  it('adopt a command running when the agent was SIGKILLed: its end is recorded once, it is not run again', async () => {
    const ws = workspaces.create(
      'jobs:\n  hourly: {task: command, schedule: {every: 1h}, params: {cmd: [sh, -c, "echo begin >> runs; sleep 6; echo done >> runs"]}}\n',
    );
    const runs = path.join(ws.dir, 'runs');
    await ws.cli(['job', 'list']);
    await waitFor(() => lines(runs).length === 1, { what: 'the first run to start' });
    await killAgent(ws);
    await ws.cli(['job', 'list']);
    const recorded = await waitFor(
      async () => {
        const found = await events(ws, 'hourly');
        return found.length === 1 ? found[0] : null;
      },
      { timeoutMs: 10_000, what: 'the adopted run to end' },
    );
    assert.equal(recorded.state, 3);
    assert.match(recorded.output, /exit status unknown: the agent restarted during the run/);
    assert.deepEqual(lines(runs), ['begin', 'done']);
    const job = await summary(ws, 'hourly');
    assert.equal(job.runningSince, null);
    assert.ok(job.nextRun !== null && job.nextRun > Date.now() + 60_000, 'next is the next hour, no catch-up');
  });

  it('are stopped by down with no agent: a command a SIGKILLed agent left is killed and its run recorded UNKNOWN', async () => {
    const ws = workspaces.create(
      'jobs:\n  long: {task: command, schedule: {every: 1h}, params: {cmd: [sh, -c, "sleep 120 & sleep 120 & wait"]}}\n',
    );
    await ws.cli(['job', 'list']);
    await waitFor(async () => (await summary(ws, 'long')).runningSince !== null, { what: 'the run to start' });
    await killAgent(ws);
    const down = await ws.cli(['down']);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /job/);
    await waitFor(() => workspaces.leaks().every((leak) => !leak.command.includes('sleep 120')), { what: 'the sleeps to be gone' });
    const recorded = await events(ws, 'long');
    assert.equal(recorded.length, 1);
    assert.deepEqual([recorded[0]!.state, recorded[0]!.output], [3, 'killed by taskwarden down (no agent was running)']);
  });
});
