/**
 * One supervised run with real processes: it starts with the workspace marker
 * and its identity, reports its exit, stops its whole group (also when the stop
 * comes while it is starting, or is a request from outside the process), kills
 * the group at its time limit in its owner's words, signals its own process, is adopted
 * from its record by pid + start time only, and rotates its output files
 * through the agent's rotator with its saved offsets moved back.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { failed } from '../../agent/result';
import { LogRotator } from '../../agent/proc/logRotator';
import { isSameProcessAlive, readProcStat, type ProcessIdentity } from '../../agent/proc/processIdentity';
import { signalGroup } from '../../agent/proc/stopProcessGroup';
import { SupervisedRun, type RunOptions, type RunSpec } from '../../agent/proc/supervisedRun';
import { scanWorkspaceProcesses } from '../../agent/proc/workspaceMarker';
import { TEST_MARK } from './support/leakCheck';
import { waitFor } from './support/waitFor';

const REPO = path.resolve(__dirname, '../..');
let folder: string;
const started: ProcessIdentity[] = [];
/** The spawn helper and the adoption polls do not keep a process alive (the agent's socket does): this does, for the tests. */
let keepAlive: NodeJS.Timeout;

before(() => {
  keepAlive = setInterval(() => undefined, 1000);
  // In the checkout, not a possibly tmpfs /tmp: rotation in place needs ext4 or xfs.
  folder = fs.mkdtempSync(path.join(REPO, `.tmp-${TEST_MARK}run-`));
});
after(() => {
  clearInterval(keepAlive);
  for (const identity of started) if (isSameProcessAlive(identity)) signalGroup(identity.pid, 'SIGKILL');
  fs.rmSync(folder, { recursive: true, force: true });
});

function spec(id: string, script: string): RunSpec {
  return {
    id,
    argv: ['sh', '-c', script],
    cwd: folder,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    mark: { workspace: folder, run: { part: 'tasks', id } },
    files: { stdout: path.join(folder, `${id}.out`), stderr: path.join(folder, `${id}.err`) },
  };
}

const OPTIONS: RunOptions = {
  stopMethod: { kind: 'signal', signal: 'SIGTERM' },
  stopTimeoutMs: 2000,
  timeLimitMs: null,
  killGroupOnExit: true,
  rotation: null,
};

async function startRun(id: string, script: string, options: Partial<RunOptions> = {}): Promise<SupervisedRun> {
  const run = new SupervisedRun(spec(id, script), { ...OPTIONS, ...options });
  const outcome = await run.start();
  assert.ok(outcome.ok, 'the run started');
  started.push(outcome.value.identity);
  return run;
}

/** The pid a script wrote to a file (a grandchild's). */
async function pidIn(file: string): Promise<number> {
  return Number(await waitFor(() => fs.readFileSync(file, 'utf8').trim(), { what: `a pid in ${file}` }));
}

describe('a supervised run', () => {
  it('starts with the workspace marker, knows its identity and reports its exit', async () => {
    const run = await startRun('7', 'echo "$TASKWARDEN_WORKSPACE $TASKWARDEN_RUN"; sleep 0.3; exit 3');
    const identity = run.identity!;
    assert.equal(readProcStat(identity.pid)?.startTime, identity.startTime);
    const marked = scanWorkspaceProcesses(folder).find((process) => process.pid === identity.pid);
    assert.deepEqual(marked?.run, { part: 'tasks', id: '7' }, 'the process table shows it as task 7 of this workspace');
    const end = await run.ended;
    assert.deepEqual([end.code, end.signal, end.reason, end.note], [3, null, 'exit', null]);
    assert.equal(fs.readFileSync(path.join(folder, '7.out'), 'utf8'), `${folder} tasks:7\n`);
    assert.equal(run.live, false);
  });

  it('applies a stop asked for while it is starting to its whole group', async () => {
    const grandchild = path.join(folder, 'queued.pid');
    const run = new SupervisedRun(spec('queued', `sleep 30 & echo $! > ${grandchild}; wait`), OPTIONS);
    const starting = run.start();
    const stopped = run.stop('stopped by user');
    const outcome = await starting;
    assert.ok(outcome.ok);
    started.push(outcome.value.identity);
    await stopped;
    const end = await run.ended;
    assert.deepEqual([end.reason, end.note], ['stopped', 'stopped by user']);
    assert.equal(signalGroup(outcome.value.identity.pid, 0), false, 'no process of its group is left');
  });

  it('kills its group at its time limit and says so', async () => {
    const grandchild = path.join(folder, 'limit.pid');
    const run = await startRun('limit', `trap '' TERM; sleep 30 & echo $! > ${grandchild}; wait`, { timeLimitMs: 300, stopTimeoutMs: 300 });
    const pid = await pidIn(grandchild);
    const end = await run.ended;
    assert.equal(end.reason, 'time-limit');
    assert.equal(end.signal, 'SIGKILL', 'the leader ignored SIGTERM and was killed after the grace');
    assert.ok(end.at - run.startedAt! >= 300);
    // SIGKILL was sent to the group before the run ended; the kernel takes a moment to finish the grandchild.
    await waitFor(() => readProcStat(pid) === null || readProcStat(pid)?.state === 'Z', { what: 'the grandchild gone', timeoutMs: 2000 });
  });

  it('words its time limit as its owner tells it to when the limit is reached', async () => {
    const told: number[] = [];
    const run = await startRun('worded', 'sleep 30', {
      timeLimitMs: 200,
      onTimeLimit: (limitMs) => {
        told.push(limitMs);
        return `time_limit of ${limitMs / 1000} s reached`;
      },
    });
    const end = await run.ended;
    assert.deepEqual([end.reason, end.note, end.signal], ['time-limit', 'time_limit of 0.2 s reached', 'SIGTERM']);
    assert.deepEqual(told, [200]);
  });

  it('stops on a request from outside the process, then kills what is left of its group after the timeout', async () => {
    const asked = path.join(folder, 'asked');
    const grandchild = path.join(folder, 'request.pid');
    // The leader ends when asked (a stop command's work); its worker ignores SIGTERM and stays.
    const script = `trap '' TERM; sleep 30 & echo $! > ${grandchild}; while [ ! -e ${asked} ]; do sleep 0.02; done; exit 0`;
    const run = await startRun('request', script, { stopTimeoutMs: 400 });
    const pid = await pidIn(grandchild);
    const begun = Date.now();
    await run.stop('stopped by user', { kind: 'request', ask: () => fs.writeFileSync(asked, '') });
    const end = await run.ended;
    assert.deepEqual([end.reason, end.note, end.code], ['stopped', 'stopped by user', 0], 'the leader ended on its own when asked');
    assert.ok(Date.now() - begun >= 350, 'the worker had the stop timeout before SIGKILL');
    await waitFor(() => readProcStat(pid) === null || readProcStat(pid)?.state === 'Z', { what: 'the worker gone', timeoutMs: 2000 });
  });

  it('sends a signal to its own process while it runs, and to no one once it ended', async () => {
    const seen = path.join(folder, 'signal.seen');
    const run = await startRun('signal', `trap 'echo HUP >> ${seen}' HUP; while true; do sleep 0.05; done`);
    await waitFor(() => scanWorkspaceProcesses(folder).some((process) => process.pid === run.identity!.pid), { what: 'the run' });
    // The trap is set once the shell runs its loop; send until it is seen.
    await waitFor(
      () => {
        assert.equal(run.signal('SIGHUP'), true);
        return fs.existsSync(seen);
      },
      { what: 'the HUP seen by the leader' },
    );
    assert.equal(run.live, true, 'the loop (its child sleep) did not end the run');
    await run.stop('done');
    assert.equal(run.signal('SIGHUP'), false, 'an ended run signals no one');
  });

  it('kills what its leader left behind when it ends on its own', async () => {
    const grandchild = path.join(folder, 'orphan.pid');
    const run = await startRun('orphan', `sleep 30 & echo $! > ${grandchild}; exit 0`);
    const pid = await pidIn(grandchild);
    assert.equal((await run.ended).reason, 'exit');
    await waitFor(() => readProcStat(pid) === null || readProcStat(pid)?.state === 'Z', { what: 'the worker gone' });
  });

  it('is adopted from its record as the same process, never as a reused pid', async () => {
    const first = await startRun('adopt', 'sleep 30');
    first.setOffsets(12, 34);
    const record = first.record()!;
    assert.deepEqual(record, {
      pid: first.identity!.pid,
      startTicks: first.identity!.startTime,
      startedAt: first.startedAt,
      outOffset: 12,
      errOffset: 34,
    });
    first.leave();

    const reused = SupervisedRun.adopt({ ...record, startTicks: record.startTicks + 1 }, spec('adopt', 'sleep 30'), OPTIONS);
    assert.deepEqual(reused, failed({ reason: 'pid-reused', message: `pid ${record.pid} belongs to another process now` }));

    const adopted = SupervisedRun.adopt(record, spec('adopt', 'sleep 30'), { ...OPTIONS, adoptedPollMs: 20 });
    assert.ok(adopted.ok);
    assert.deepEqual(adopted.value.identity, first.identity);
    assert.equal(adopted.value.adopted, true);
    assert.deepEqual(adopted.value.record(), record);
    await adopted.value.stop('agent stopped');
    assert.equal((await adopted.value.ended).reason, 'stopped');
    assert.equal(isSameProcessAlive(first.identity!), false);

    assert.deepEqual(
      SupervisedRun.adopt(record, spec('adopt', 'sleep 30'), OPTIONS),
      failed({ reason: 'gone', message: `no process has pid ${record.pid}` }),
    );
  });

  it('reports an adopted process that ended unobserved', async () => {
    const first = await startRun('vanish', 'sleep 30');
    first.leave();
    const adopted = SupervisedRun.adopt(first.record()!, spec('vanish', 'sleep 30'), { ...OPTIONS, adoptedPollMs: 20 });
    assert.ok(adopted.ok);
    signalGroup(first.identity!.pid, 'SIGKILL');
    assert.equal((await adopted.value.ended).reason, 'adopted-gone');
  });

  it('rotates its output files in whole lines and moves its saved offsets back', async () => {
    const rotator = new LogRotator((message) => assert.fail(message), { intervalMs: 20 });
    const rotated: number[] = [];
    const lines = 4000;
    const go = path.join(folder, 'rotate.go');
    const run = await startRun(
      'rotate',
      `while [ ! -e ${go} ]; do sleep 0.02; done; i=1; while [ $i -le ${lines} ]; do echo "line $i of the run"; i=$((i+1)); done; sleep 30`,
      { rotation: { rotator, policy: { maxBytes: 8 * 1024, keep: 50 } }, onRotated: (_stream, removed) => rotated.push(removed) },
    );
    try {
      const file = path.join(folder, 'rotate.out');
      // The owner has read 1000 bytes (as a log probe would); rotation moves that back with what it removes.
      run.setOffsets(1000, 0);
      fs.writeFileSync(go, '');
      await waitFor(() => fs.readFileSync(file, 'utf8').includes(`line ${lines} of`), { what: 'the last line' });
      await waitFor(() => rotated.length > 0, { what: 'a rotation' });
      const removed = rotated.reduce((sum, bytes) => sum + bytes, 0);
      assert.equal(run.readOffsets().stdout, Math.max(0, 1000 - removed));
      assert.equal(run.record()?.outOffset, run.readOffsets().stdout);
      rotator.check(true);
      const parts: string[] = [];
      for (let index = 50; index >= 1; index -= 1)
        if (fs.existsSync(`${file}.${index}`)) parts.push(fs.readFileSync(`${file}.${index}`, 'utf8'));
      parts.push(fs.readFileSync(file, 'utf8'));
      const all = parts
        .join('')
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('[taskwarden]'));
      assert.deepEqual(
        all,
        Array.from({ length: lines }, (_, index) => `line ${index + 1} of the run`),
        'every line once, whole and in order',
      );
      for (let index = 1; fs.existsSync(`${file}.${index}`); index += 1) assert.ok(fs.statSync(`${file}.${index}`).size <= 8 * 1024);
    } finally {
      await run.stop('done');
      rotator.close();
    }
  });
});
