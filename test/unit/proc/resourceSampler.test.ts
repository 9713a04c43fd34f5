import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStatLine, type ProcEntry } from '../../../agent/proc/resources/procTable';
import { ResourceSampler } from '../../../agent/proc/resources/resourceSampler';
import { childrenOf, treeUsage } from '../../../agent/proc/resources/treeUsage';
import { alive } from '../support/alive';

/** Lines captured from /proc/<pid>/stat on Linux 6.x (the third: a program named `we ird) (x`). */
const CAPTURED = {
  init: '1 (process_api) S 0 0 0 0 -1 4194560 26871 6204891 0 702 66 307 10754 3356 10 -10 40 0 25 57827328 3780 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n',
  cat: '20541 (cat) R 20368 20368 4816 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 57062 3133440 359 18446744073709551615 94520865394688 94520865414569 140735803199888 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94520865430576 94520865432192 94521831641088 140735803202264 140735803202284 140735803202284 140735803203563 0\n',
  odd: '20544 (we ird) (x) S 20543 20368 4816 0 -1 4194304 143 0 0 0 0 0 0 0 20 0 1 0 57062 2990080 420 18446744073709551615 94030126714880 94030126732809 140733509038416 0 0 0 0 6 0 1 0 0 17 1 0 0 0 0 0 94030126746896 94030126748160 94031048740864 140733509044948 140733509044966 140733509044966 140733509046248 0\n',
};

function entry(pid: number, ppid: number, cpuTicks: number, rssPages: number, startTime = 1000 + pid): ProcEntry {
  return { pid, ppid, cpuTicks, rssPages, startTime };
}

function tableOf(...entries: ProcEntry[]): Map<number, ProcEntry> {
  return new Map(entries.map((one) => [one.pid, one]));
}

describe('reading /proc/<pid>/stat', () => {
  it('takes the parent, utime + stime, the start time and the resident pages of a real line', () => {
    assert.deepEqual(parseStatLine(CAPTURED.init), { pid: 1, ppid: 0, cpuTicks: 66 + 307, rssPages: 3780, startTime: 25 });
    assert.deepEqual(parseStatLine(CAPTURED.cat), { pid: 20541, ppid: 20368, cpuTicks: 0, rssPages: 359, startTime: 57062 });
  });

  it('reads the fields after the last parenthesis, so a program name with spaces and parentheses does not shift them', () => {
    assert.deepEqual(parseStatLine(CAPTURED.odd), { pid: 20544, ppid: 20543, cpuTicks: 0, rssPages: 420, startTime: 57062 });
  });

  it('returns null for a line that is not a stat line', () => {
    assert.equal(parseStatLine(''), null);
    assert.equal(parseStatLine('hello (world'), null);
  });
});

describe('a process tree’s totals', () => {
  const table = tableOf(
    entry(10, 1, 100, 1000),
    entry(11, 10, 50, 200),
    entry(12, 11, 5, 30),
    entry(20, 1, 7, 70),
    entry(13, 1, 999, 999), // re-parented away from 10: no longer in its tree
  );
  const children = childrenOf(table);

  it('sums the run’s process and every descendant, and counts them', () => {
    assert.deepEqual(treeUsage(table, children, { pid: 10, startTime: 1010 }), { cpuTicks: 155, rssPages: 1230, processes: 3 });
    assert.deepEqual(treeUsage(table, children, { pid: 11, startTime: 1011 }), { cpuTicks: 55, rssPages: 230, processes: 2 });
  });

  it('is null when the pid now belongs to another process (another start time) or is gone', () => {
    assert.equal(treeUsage(table, children, { pid: 10, startTime: 5 }), null);
    assert.equal(treeUsage(table, children, { pid: 99, startTime: 1099 }), null);
  });
});

describe('the resource sampler', () => {
  function rig(): { sampler: ResourceSampler; set: (...entries: ProcEntry[]) => void; advance: (ms: number) => void } {
    let table = tableOf();
    let time = 1_000_000;
    const sampler = new ResourceSampler({
      readTable: () => table,
      now: () => time,
      pageSize: 4096,
      periodMs: 3_600_000,
      warmupMs: 3_600_000,
    });
    return { sampler, set: (...entries) => (table = tableOf(...entries)), advance: (ms) => (time += ms) };
  }

  it('gives CPU % of one core from two readings, and memory in bytes; the first reading has no CPU figure', () => {
    const { sampler, set, advance } = rig();
    sampler.track({ part: 'daemons', id: 'web:0' }, { pid: 10, startTime: 1010 });
    set(entry(10, 1, 100, 1000), entry(11, 10, 0, 10));
    const first = sampler.sample();
    assert.deepEqual(
      first.map(({ id, cpuPercent, memoryBytes }) => ({ id, cpuPercent, memoryBytes })),
      [{ id: 'web:0', cpuPercent: null, memoryBytes: 1010 * 4096 }],
    );
    // 2 s later: the leader used 1 s of CPU, its child 0.5 s: 75 % of one core.
    advance(2000);
    set(entry(10, 1, 200, 1000), entry(11, 10, 50, 10));
    assert.equal(sampler.sample()[0]?.cpuPercent, 75);
    assert.equal(sampler.latest('daemons', 'web:0')?.cpuPercent, 75);
  });

  it('counts a tree over 100 % when it uses several cores, and never below 0 when a child ended', () => {
    const { sampler, set, advance } = rig();
    sampler.track({ part: 'tasks', id: '7' }, { pid: 10, startTime: 1010 });
    set(entry(10, 1, 0, 1), entry(11, 10, 0, 1));
    sampler.sample();
    advance(1000);
    set(entry(10, 1, 100, 1), entry(11, 10, 100, 1));
    assert.equal(sampler.sample()[0]?.cpuPercent, 200);
    advance(1000);
    set(entry(10, 1, 110, 1));
    assert.equal(sampler.sample()[0]?.cpuPercent, 0);
  });

  it('starts over for a run whose process changed, and forgets a run once untracked', () => {
    const { sampler, set, advance } = rig();
    const untrack = sampler.track({ part: 'daemons', id: 'web:0' }, { pid: 10, startTime: 1010 });
    set(entry(10, 1, 100, 1));
    sampler.sample();
    untrack();
    sampler.track({ part: 'daemons', id: 'web:0' }, { pid: 30, startTime: 1030 });
    advance(1000);
    set(entry(30, 1, 500, 1));
    assert.equal(sampler.sample()[0]?.cpuPercent, null);
    // The old run's untrack does not remove the new run under the same mark.
    untrack();
    assert.equal(sampler.sample().length, 1);
  });

  it('samples only while a demand is held: the first demand reads at once, ready comes with the second reading', async () => {
    let reads = 0;
    const sampler = new ResourceSampler({ readTable: () => (reads++, new Map()), pageSize: 4096, periodMs: 3_600_000, warmupMs: 10 });
    assert.equal(sampler.active, false);
    const demand = sampler.demand();
    assert.equal(reads, 1);
    await alive(demand.ready);
    assert.equal(reads, 2);
    const second = sampler.demand();
    await alive(second.ready);
    assert.equal(reads, 2, 'a later demand gets the figures that exist');
    demand.release();
    demand.release();
    assert.equal(sampler.active, true);
    second.release();
    assert.equal(sampler.active, false);
  });

  it('tells every listener each sample with the run, its figures and the time', () => {
    const { sampler, set } = rig();
    const seen: string[] = [];
    const stop = sampler.onSample((samples) => seen.push(...samples.map((one) => `${one.part}:${one.id}@${one.at}`)));
    sampler.track({ part: 'queues', id: 'build-3' }, { pid: 10, startTime: 1010 });
    set(entry(10, 1, 1, 1));
    sampler.sample();
    stop();
    sampler.sample();
    assert.deepEqual(seen, ['queues:build-3@1000000']);
  });
});
