/**
 * Starting supervised processes, through the compiled spawn helper and through
 * Node's own spawn: both must give a child the same world (argv without a
 * shell, its own session, no blocked or ignored signals, stdin from /dev/null,
 * output in the log files) and report starts, failures and exits the same way.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readProcStat } from '../../agent/proc/processIdentity';
import { locateSpawner, SpawnHelper } from '../../agent/proc/spawnHelper';
import { spawnSupervised, type SpawnOutcome, type SpawnRequest, type SupervisedChild } from '../../agent/proc/spawnSupervised';
import { TEST_MARK } from './support/leakCheck';
import { waitFor } from './support/waitFor';

let folder: string;

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), `${TEST_MARK}spawn-`));
});
after(() => fs.rmSync(folder, { recursive: true, force: true }));

function request(argv: string[], overrides: Partial<SpawnRequest> = {}): SpawnRequest {
  return {
    argv,
    cwd: folder,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MARK: 'tw-test-spawn' },
    stdoutFile: path.join(folder, 'out.log'),
    stderrFile: path.join(folder, 'err.log'),
    ...overrides,
  };
}

function started(outcome: SpawnOutcome): SupervisedChild {
  if (!outcome.ok) assert.fail(`expected a start, got ${outcome.error.reason}: ${outcome.error.message}`);
  return outcome.value;
}

function statusField(pid: number, name: string): string {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  return line?.split(/\s+/)[1] ?? '';
}

const spawnerPath = locateSpawner();

const modes: { name: string; helper: () => SpawnHelper | null }[] = [
  {
    name: 'through the spawn helper',
    helper: () => {
      assert.ok(spawnerPath !== null, 'dist/taskwarden-spawner is missing: run npm run build');
      return new SpawnHelper(spawnerPath);
    },
  },
  { name: "through Node's spawn", helper: () => null },
];

for (const mode of modes) {
  describe(`spawnSupervised ${mode.name}`, () => {
    let spawn: (request: SpawnRequest) => Promise<SpawnOutcome>;

    let keepAlive: NodeJS.Timeout;
    // Children never hold the agent's event loop open; here a timer stands in for its socket.
    before(() => {
      keepAlive = setInterval(() => undefined, 1000);
      const helper = mode.helper();
      spawn = (request) => spawnSupervised(request, helper);
    });
    after(() => clearInterval(keepAlive));

    it('runs the argv as given, in the cwd, with only the given environment, output in the log files', async () => {
      const logs = fs.mkdtempSync(path.join(folder, 'logs-'));
      const files = { stdoutFile: path.join(logs, 'out.log'), stderrFile: path.join(logs, 'err.log') };
      const script = 'echo "$1|$MARK|$HOME|$(pwd)"; echo oops >&2; read line || echo "stdin empty"';
      const child = started(await spawn(request(['/bin/sh', '-c', script, 'sh', 'two words; $(no)'], files)));
      const exit = await child.exited;
      assert.deepEqual([exit.code, exit.signal], [0, null]);
      assert.equal(fs.readFileSync(files.stdoutFile, 'utf8'), `two words; $(no)|tw-test-spawn||${folder}\nstdin empty\n`);
      assert.equal(fs.readFileSync(files.stderrFile, 'utf8'), 'oops\n');
    });

    it('puts the child in a session of its own with no blocked or ignored signals, and names it by pid and start time', async () => {
      const child = started(await spawn(request(['sleep', '30'], { argv0: 'tw-test-sleeper' })));
      try {
        const stat = readProcStat(child.identity.pid);
        assert.ok(stat);
        assert.equal(stat.startTime, child.identity.startTime);
        assert.equal(stat.pgid, child.identity.pid);
        assert.equal(statusField(child.identity.pid, 'SigBlk'), '0000000000000000');
        assert.equal(statusField(child.identity.pid, 'SigIgn'), '0000000000000000');
        assert.equal(fs.readFileSync(`/proc/${child.identity.pid}/cmdline`, 'utf8').split('\0')[0], 'tw-test-sleeper');
      } finally {
        process.kill(child.identity.pid, 'SIGTERM');
      }
      const exit = await child.exited;
      assert.deepEqual([exit.code, exit.signal], [null, 'SIGTERM']);
    });

    it("finds a bare command name on the child's PATH, not the agent's", async () => {
      const bin = fs.mkdtempSync(path.join(folder, 'bin-'));
      fs.writeFileSync(path.join(bin, 'tw-test-hello'), '#!/bin/sh\nexit 7\n', { mode: 0o755 });
      const child = started(await spawn(request(['tw-test-hello'], { env: { PATH: `${bin}:/usr/bin:/bin` } })));
      assert.equal((await child.exited).code, 7);
    });

    it('says what is wrong when a process cannot start', async () => {
      const missing = await spawn(request(['tw-test-no-such-command']));
      assert.deepEqual(missing.ok ? 'started' : [missing.error.reason, missing.error.message], [
        'not-found',
        'command not found: tw-test-no-such-command',
      ]);

      const noFolder = await spawn(request(['true'], { cwd: path.join(folder, 'gone') }));
      assert.equal(noFolder.ok ? 'started' : noFolder.error.reason, 'cwd-missing');

      const text = path.join(folder, 'not-executable');
      fs.writeFileSync(text, 'data', { mode: 0o644 });
      const notExecutable = await spawn(request([text]));
      assert.equal(notExecutable.ok ? 'started' : notExecutable.error.reason, 'not-permitted');

      const noLogFolder = await spawn(request(['true'], { stdoutFile: path.join(folder, 'gone', 'out.log') }));
      assert.match(noLogFolder.ok ? 'started' : noLogFolder.error.message, /cannot open the log files .*gone\/out\.log.*ENOENT/);

      assert.equal((await spawn(request([]))).ok, false);
    });
  });
}

describe('the spawn helper dying', () => {
  it('leaves its children running, still reports their end, and is replaced on the next start', async () => {
    const keepAlive = setInterval(() => undefined, 1000);
    after(() => clearInterval(keepAlive));
    assert.ok(spawnerPath !== null, 'dist/taskwarden-spawner is missing: run npm run build');
    const helper = new SpawnHelper(spawnerPath);
    const first = await helper.start(request(['sleep', '30']));
    assert.equal(first.kind, 'started');
    if (first.kind !== 'started') return;
    const helperPid = readProcStat(first.identity.pid)?.ppid;
    assert.ok(helperPid !== undefined && helperPid !== process.pid);
    process.kill(helperPid, 'SIGKILL');
    await waitFor(() => readProcStat(first.identity.pid)?.ppid !== helperPid, { what: 'the child to be re-parented' });
    assert.ok(readProcStat(first.identity.pid), 'the child outlives its helper');

    const second = await helper.start(request(['sleep', '30']));
    assert.equal(second.kind, 'started');
    if (second.kind !== 'started') return;
    const newHelperPid = readProcStat(second.identity.pid)?.ppid;
    process.kill(second.identity.pid, 'SIGKILL');
    assert.ok(newHelperPid !== undefined && newHelperPid !== helperPid, 'a new helper started the second child');
    assert.equal((await second.exited).signal, 'SIGKILL');

    process.kill(first.identity.pid, 'SIGKILL');
    const exit = await first.exited;
    assert.ok(exit.at > 0, 'the end of an orphaned child is still reported');
  });
});

describe('the spawn helper', () => {
  it("takes in the orphans of what it started and reaps them, so a stopped shell's child is never a zombie in its group", async () => {
    const keepAlive = setInterval(() => undefined, 1000);
    after(() => clearInterval(keepAlive));
    assert.ok(spawnerPath !== null, 'dist/taskwarden-spawner is missing: run npm run build');
    const helper = new SpawnHelper(spawnerPath);
    const pidFile = path.join(folder, 'orphan.pid');
    const shell = await helper.start(request(['/bin/sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`]));
    assert.equal(shell.kind, 'started');
    if (shell.kind !== 'started') return;
    const helperPid = readProcStat(shell.identity.pid)?.ppid;
    const orphan = Number(await waitFor(() => fs.readFileSync(pidFile, 'utf8').trim(), { what: 'the background child' }));

    process.kill(shell.identity.pid, 'SIGKILL');
    await shell.exited;
    await waitFor(() => readProcStat(orphan)?.ppid !== shell.identity.pid, { what: 'the orphan to be re-parented' });
    assert.equal(readProcStat(orphan)?.ppid, helperPid, 'its new parent is the helper, not PID 1');

    process.kill(orphan, 'SIGKILL');
    await waitFor(() => readProcStat(orphan) === null, { what: 'the orphan to be reaped', timeoutMs: 1000 });
  });
});

describe('chained starts in the spawn helper', () => {
  it('starts a chained request as the earlier process is reaped, at once after one that ended or never started, and not once cancelled', async () => {
    const keepAlive = setInterval(() => undefined, 1000);
    after(() => clearInterval(keepAlive));
    assert.ok(spawnerPath !== null, 'dist/taskwarden-spawner is missing: run npm run build');
    const helper = new SpawnHelper(spawnerPath);
    const order = path.join(folder, 'order');
    const append = (word: string): string[] => ['/bin/sh', '-c', `echo ${word} >> ${order}`];
    const first = await helper.start(request(['/bin/sh', '-c', `sleep 0.3; echo first >> ${order}`]));
    assert.ok(first.kind === 'started');
    const second = helper.chain(request(append('second')), first.anchor);
    assert.ok(second.anchor !== null, 'a chained start is an anchor before it happened');
    // Chained to a chained start: it waits for that one's process too.
    const third = helper.chain(request(append('third')), second.anchor);
    const cancelled = helper.chain(request(append('never')), first.anchor);
    assert.equal(await cancelled.cancel(), 'cancelled');
    assert.equal((await cancelled.outcome).kind, 'cancelled');
    const secondStarted = await second.outcome;
    assert.ok(secondStarted.kind === 'started');
    await first.exited;
    await secondStarted.exited;
    const thirdStarted = await third.outcome;
    assert.ok(thirdStarted.kind === 'started');
    assert.equal(await third.cancel(), 'started', 'too late to cancel: it started');
    await thirdStarted.exited;
    assert.equal(fs.readFileSync(order, 'utf8'), 'first\nsecond\nthird\n');

    // After a process that already ended: at once.
    const late = helper.chain(request(append('late')), first.anchor);
    const lateStarted = await late.outcome;
    assert.ok(lateStarted.kind === 'started');
    await lateStarted.exited;
    // A chained start that fails (no such program) lets what was chained to it start.
    const idle = await helper.start(request(['sleep', '30']));
    assert.ok(idle.kind === 'started');
    const doomed = helper.chain(request(['tw-test-no-such-program']), idle.anchor);
    assert.ok(doomed.anchor !== null);
    const afterDoomed = helper.chain(request(append('after-failed')), doomed.anchor);
    process.kill(idle.identity.pid, 'SIGKILL');
    await idle.exited;
    assert.equal((await doomed.outcome).kind, 'failed');
    const afterDoomedStarted = await afterDoomed.outcome;
    assert.ok(afterDoomedStarted.kind === 'started');
    await afterDoomedStarted.exited;
    assert.equal(fs.readFileSync(order, 'utf8'), 'first\nsecond\nthird\nlate\nafter-failed\n');
  });
});
