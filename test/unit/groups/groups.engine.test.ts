import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIniParams } from '../../../agent/groups/params/iniParams';
import { clearBreak, runRound, type RunnableTasklet } from '../../../agent/groups/runner/round';
import { delayUntilNextRound, nextRoundAt } from '../../../agent/groups/runner/roundClock';
import { compareRunOrder, priorityFromName, resolvePriority } from '../../../agent/groups/runner/taskletOrder';
import type { JsonValue } from '../../../agent/groups/protocol';

describe('tasklet run order', () => {
  it('runs higher priorities first and breaks ties by file name', () => {
    const tasklets = [
      { name: 'b.js', priority: 1 },
      { name: '10_x.js', priority: 10 },
      { name: 'a.js', priority: 1 },
      { name: 'z.ts', priority: 5 },
      { name: 'A.js', priority: 1 },
    ];
    assert.deepEqual(
      [...tasklets].sort(compareRunOrder).map((tasklet) => tasklet.name),
      ['10_x.js', 'z.ts', 'A.js', 'a.js', 'b.js'],
    );
  });

  it('takes the priority from the export, else a leading N_ of the file name, else 1; a bad export is a problem', () => {
    assert.equal(priorityFromName('20_check.ts'), 20);
    assert.equal(priorityFromName('check_20.ts'), null);
    assert.deepEqual(resolvePriority('20_check.ts', undefined), { priority: 20, source: 'file name', problem: null });
    assert.deepEqual(resolvePriority('check.ts', undefined), { priority: 1, source: 'default', problem: null });
    assert.deepEqual(resolvePriority('20_check.ts', 3), { priority: 3, source: 'export', problem: null });
    const bad = resolvePriority('20_check.ts', 'high');
    assert.equal(bad.priority, 20);
    assert.match(bad.problem!, /priority must be a number \(found "high"\); using 20/);
  });
});

describe('params.ini', () => {
  it('reads [main] name=value, lists, integers as numbers and everything else as strings', () => {
    const parsed = parseIniParams('# comment\n[main]\nname=web\nport=8080\nhosts=a,b,3\nneg=-4\nratio=1.5\nempty=\n');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.params, { name: 'web', port: 8080, hosts: ['a', 'b', 3], neg: -4, ratio: '1.5', empty: '' });
  });

  it('reports another section, a line that is not name=value and a key before [main], at their lines', () => {
    const parsed = parseIniParams('early=1\n[main]\nok=1\nnot a pair\n[other]\nx=2\n');
    assert.deepEqual(parsed.params, { ok: 1 });
    assert.deepEqual(parsed.problems, [
      { line: 1, message: "'early=1' comes before the [main] section" },
      { line: 4, message: "expected name=value, found 'not a pair'" },
      { line: 5, message: 'section [other]: params.ini has only a [main] section' },
    ]);
  });
});

describe('round scheduling', () => {
  it('runs the first round at once, then interval after the previous start, never overlapping an overrun', () => {
    assert.equal(nextRoundAt({ lastStart: null, lastEnd: null }, 10_000), 0);
    assert.equal(nextRoundAt({ lastStart: 1000, lastEnd: 1500 }, 10_000), 11_000, 'measured from the start');
    assert.equal(nextRoundAt({ lastStart: 1000, lastEnd: 14_000 }, 10_000), 14_000, 'an overrun delays the next');
    assert.equal(nextRoundAt({ lastStart: 1000, lastEnd: null }, 10_000), null, 'none while one runs');
    assert.equal(delayUntilNextRound({ lastStart: 1000, lastEnd: 1500 }, 10_000, 5000), 6000);
    assert.equal(delayUntilNextRound({ lastStart: 1000, lastEnd: 1500 }, 10_000, 20_000), 0);
    assert.equal(delayUntilNextRound({ lastStart: null, lastEnd: null }, 10_000, 5000, 8000), 3000, 'not before a given time');
  });
});

function tasklet(name: string, main: RunnableTasklet['main'], match: RunnableTasklet['match'] = null): RunnableTasklet {
  return { name, main, match };
}

describe('a round', () => {
  it('shares params along the chain, passes lastRun, and stops at break (removed before the next round)', async () => {
    const params: Record<string, JsonValue> = { seen: [] };
    const lastRuns = new Map<string, number>();
    let clock = 1000;
    const push = (value: string) => (p: Record<string, JsonValue>) => {
      (p.seen as string[]).push(value);
    };
    const tasklets = [
      tasklet('a', (p, ctx) => {
        (p.seen as string[]).push(`a@${ctx.lastRun}`);
        clock += 5;
      }),
      tasklet('b', (p) => {
        p.break = true;
      }),
      tasklet('c', push('c')),
    ];
    const input = {
      group: 'g',
      round: 1,
      tasklets,
      params,
      lastRuns,
      timeLimitMs: 1000,
      agent: null,
      log: () => undefined,
      now: () => clock,
    };
    const first = await runRound(input);
    assert.equal(first.endedBy, 'break');
    assert.deepEqual(
      first.results.map((result) => result.outcome),
      ['ok', 'ok', 'skipped'],
    );
    assert.deepEqual(params.seen, ['a@0']);
    assert.equal(params.break, true, 'break stays set until the next round starts');
    clearBreak(params);
    assert.ok(!('break' in params));
    const second = await runRound({ ...input, round: 2, tasklets: [tasklets[0]!, tasklets[2]!] });
    assert.equal(second.endedBy, 'done');
    assert.deepEqual(params.seen, ['a@0', 'a@1000', 'c']);
  });

  it('records a throw, a rejection, a false match and an async timeout (with its signal aborted), and goes on', async () => {
    const params: Record<string, JsonValue> = {};
    let aborted = false;
    const outcome = await runRound({
      group: 'g',
      round: 1,
      params,
      lastRuns: new Map(),
      timeLimitMs: 50,
      agent: null,
      log: () => undefined,
      tasklets: [
        tasklet('throws', () => {
          throw new TypeError('bad');
        }),
        tasklet('rejects', () => Promise.reject(new Error('nope'))),
        tasklet(
          'unmatched',
          () => undefined,
          () => false,
        ),
        tasklet(
          'hangs',
          (_p, ctx) =>
            new Promise(() => {
              ctx.signal.addEventListener('abort', () => (aborted = true));
            }),
        ),
        tasklet('last', (p) => {
          p.last = true;
        }),
      ],
    });
    assert.deepEqual(
      outcome.results.map((result) => [result.name, result.outcome, result.error?.message ?? null]),
      [
        ['throws', 'error', 'TypeError: bad'],
        ['rejects', 'error', 'nope'],
        ['unmatched', 'not-matched', null],
        ['hangs', 'timeout', 'main did not finish within its time limit (0.05 s)'],
        ['last', 'ok', null],
      ],
    );
    assert.equal(aborted, true);
    assert.equal(params.last, true);
  });
});
