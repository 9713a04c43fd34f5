/**
 * Process groups on real runner processes through the real agent: tasklets in
 * priority order sharing params, `match` with `lastRun`, `break`, a throwing, a
 * timed-out async and a never-returning tasklet, live edits of a tasklet and of
 * the params file, and stop / start / run now from the CLI.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunRoundRequest } from '../../agent/protocol';
import { groupStatus, groupsTestFile, history, params, waitForRounds, writeFile } from './groups.helpers';
import { waitFor } from './support/waitFor';

const start = groupsTestFile();

const append = (name: string): string => `exports.main = (params) => { params.seen.push('${name}'); };\n`;

describe('process groups: rounds', () => {
  it('runs the tasklets in priority order (higher first, ties by file name), sharing params along the chain and across rounds', async () => {
    const { agent } = await start('groups:\n  interval: 0.5\n', {
      'processhandler/chain/params.yaml': 'seen: []\nlabel: chain\n',
      'processhandler/chain/10_first.js': append('first'),
      'processhandler/chain/second.ts': `export const priority: number = 5;\nexport function main(params: { seen: string[] }): void {\n  params.seen.push('second');\n}\n`,
      'processhandler/chain/b_tie.mjs': `export function main(params) { params.seen.push('b_tie'); }\n`,
      'processhandler/chain/a_tie.js': append('a_tie'),
    });
    const rounds = await waitForRounds(agent, 'chain', 2);
    assert.deepEqual(
      rounds[0]!.results.map((result) => [result.name, result.outcome]),
      [
        ['10_first.js', 'ok'],
        ['second.ts', 'ok'],
        ['a_tie.js', 'ok'],
        ['b_tie.mjs', 'ok'],
      ],
    );
    const live = await params(agent, 'chain');
    assert.equal(live.label, 'chain');
    const seen = live.seen as string[];
    assert.ok(seen.length >= 8, `two rounds appended: ${JSON.stringify(seen)}`);
    assert.deepEqual(seen.slice(0, 8), ['first', 'second', 'a_tie', 'b_tie', 'first', 'second', 'a_tie', 'b_tie']);
    const status = await groupStatus(agent, 'chain');
    assert.deepEqual(
      status.taskletStatus.map((tasklet) => [tasklet.name, tasklet.priority, tasklet.prioritySource]),
      [
        ['10_first.js', 10, 'file name'],
        ['second.ts', 5, 'export'],
        ['a_tie.js', 1, 'default'],
        ['b_tie.mjs', 1, 'default'],
      ],
    );
    assert.equal(status.taskletStatus[1]!.mainLine, 2, 'the line of main in second.ts');
  });

  it('lets match use ctx.lastRun to run main at most every 1.5 s while rounds come every 0.25 s', async () => {
    const { agent } = await start('groups:\n  interval: 0.25\n', {
      'processhandler/throttled/every.js':
        'exports.match = (params, ctx) => Date.now() - ctx.lastRun >= 1500;\nexports.main = (params) => { params.runs = (params.runs ?? 0) + 1; };\n',
    });
    const rounds = await waitForRounds(agent, 'throttled', 14);
    const ran = rounds.filter((round) => round.results[0]!.outcome === 'ok').map((round) => round.results[0]!.startedAt!);
    assert.ok(
      rounds.some((round) => round.results[0]!.outcome === 'not-matched'),
      'rounds in between did not match',
    );
    assert.ok(ran.length >= 2, `main ran at least twice in ${rounds.length} rounds`);
    for (let index = 1; index < ran.length; index++) assert.ok(ran[index]! - ran[index - 1]! >= 1500, 'at most once per 1.5 s');
  });

  it('ends the round when a tasklet sets params.break, and clears break before the next round', async () => {
    const { agent } = await start('groups:\n  interval: 0.3\n', {
      'processhandler/breaker/3_look.js':
        "exports.main = (params) => { params.sawBreak = [...(params.sawBreak ?? []), 'break' in params]; };\n",
      'processhandler/breaker/2_break.js': 'exports.main = (params, ctx) => { if (ctx.round % 2 === 1) params.break = true; };\n',
      'processhandler/breaker/1_last.js': 'exports.main = (params) => { params.last = (params.last ?? 0) + 1; };\n',
    });
    const rounds = await waitForRounds(agent, 'breaker', 4);
    for (const round of rounds.slice(0, 4)) {
      const last = round.results.find((result) => result.name === '1_last.js')!;
      if (round.round % 2 === 1) {
        assert.equal(round.endedBy, 'break');
        assert.equal(last.outcome, 'skipped');
      } else {
        assert.equal(round.endedBy, 'done');
        assert.equal(last.outcome, 'ok');
      }
    }
    const live = await params(agent, 'breaker');
    assert.ok(!('break' in live), 'break is gone from the params kept between rounds');
    assert.ok(
      (live.sawBreak as boolean[]).every((saw) => !saw),
      'no round started with break set',
    );
  });

  it('records a throwing, a timed-out async and a never-returning tasklet, and the rounds go on', async () => {
    const { ws, agent } = await start('groups:\n  interval: 0.3\n  time_limit: 1\n', {
      'processhandler/faults/5_throws.js': "exports.main = () => { throw new Error('boom from a tasklet'); };\n",
      'processhandler/faults/4_slow.js':
        "exports.match = (params, ctx) => ctx.round === 1;\nexports.main = (params, ctx) => new Promise(() => { ctx.signal.addEventListener('abort', () => { params.aborted = true; }); });\n",
      'processhandler/faults/3_loops.js': 'exports.match = (params, ctx) => ctx.round === 2;\nexports.main = () => { for (;;) {} };\n',
      'processhandler/faults/1_after.js': 'exports.main = (params) => { params.after = (params.after ?? 0) + 1; };\n',
    });
    const rounds = await waitForRounds(agent, 'faults', 4, 30_000);
    const [first, second, third] = rounds;
    const byName = (round: typeof first, name: string) => round!.results.find((result) => result.name === name);
    assert.equal(byName(first, '5_throws.js')?.outcome, 'error');
    assert.equal(byName(first, '5_throws.js')?.error?.message, 'boom from a tasklet');
    assert.match(byName(first, '5_throws.js')!.error!.stack[0]!, /5_throws\.js:1/);
    assert.equal(byName(first, '4_slow.js')?.outcome, 'timeout');
    assert.equal(byName(first, '1_after.js')?.outcome, 'ok', 'the round went on after the failures');
    assert.equal(second!.endedBy, 'runner-killed');
    assert.equal(byName(second, '3_loops.js')?.outcome, 'timeout');
    assert.equal(third!.endedBy, 'done');
    assert.equal(byName(third, '1_after.js')?.outcome, 'ok', 'the next round ran on a new runner');
    const live = await params(agent, 'faults');
    assert.equal(live.aborted, true, 'the AbortSignal fired at the time limit');
    const status = await groupStatus(agent, 'faults');
    assert.ok(status.runnerRestarts >= 1);
    const log = await ws.cli(['logs', 'group:faults']);
    assert.match(log.stdout + log.stderr, /3_loops\.js did not return within its time limit/);
  });

  it('reloads an edited tasklet keeping the params, and replaces the params when their file is edited', async () => {
    const { ws, agent } = await start('groups:\n  interval: 0.3\n', {
      'processhandler/live/params.ini': '[main]\nseen=start\nlimit=5\n',
      'processhandler/live/tasklet.js': "exports.main = (params) => { params.seen = [].concat(params.seen, 'v1'); };\n",
    });
    await waitFor(async () => ((await params(agent, 'live')).seen as string[]).includes('v1'), { what: 'v1 ran' });
    writeFile(ws, 'processhandler/live/tasklet.js', "exports.main = (params) => { params.seen = [].concat(params.seen, 'v2'); };\n");
    const seen = await waitFor(
      async () => {
        const list = (await params(agent, 'live')).seen as string[];
        return list.includes('v2') ? list : null;
      },
      { what: 'the edited tasklet ran' },
    );
    assert.equal(seen[0], 'start', 'the params were kept across the reload');
    assert.ok(seen.indexOf('v1') < seen.indexOf('v2'));
    writeFile(ws, 'processhandler/live/params.ini', '[main]\nseen=fresh,list\nlimit=7\n');
    const fresh = await waitFor(
      async () => {
        const live = await params(agent, 'live');
        return live.limit === 7 ? live : null;
      },
      { what: 'the edited params' },
    );
    assert.deepEqual((fresh.seen as string[]).slice(0, 2), ['fresh', 'list']);
    const log = await waitFor(
      async () => {
        const result = await ws.cli(['logs', 'group:live']);
        return /params reloaded/.test(result.stdout) ? result.stdout : null;
      },
      { what: 'the reload in the group output' },
    );
    assert.match(log, /params reloaded from .*params\.ini/);
  });

  it('stops, starts and runs a round now from the CLI', async () => {
    const { ws, agent } = await start('groups:\n  interval: 3600\n', {
      'processhandler/manual/count.js': 'exports.main = (params) => { params.count = (params.count ?? 0) + 1; };\n',
    });
    await waitForRounds(agent, 'manual', 1);
    const ran = await ws.cli(['group', 'run', 'manual', '--wait']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /round 2: 1 ran/);
    const stopped = await ws.cli(['group', 'stop', 'manual']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped manual/);
    assert.equal((await groupStatus(agent, 'manual')).state, 'stopped');
    const inStopped = await agent.connection.sendRequest(RunRoundRequest.type, { group: 'manual', wait: true });
    assert.equal(inStopped.record?.round, 3, 'run now works in a stopped group');
    const started = await ws.cli(['group', 'start', 'manual']);
    assert.match(started.stdout, /started manual/);
    await waitForRounds(agent, 'manual', 4);
    assert.equal((await params(agent, 'manual')).count, 4);
    assert.equal((await history(agent, 'manual')).length, 4);
    const unknown = await ws.cli(['group', 'run', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no group 'nope'.*groups: manual/);
  });
});
