/**
 * Process groups through faults and the agent's own clients: a runner
 * SIGKILLed (restarted, params back from the last round's end), the agent
 * SIGKILLed (the runners adopted by the next agent, no doubled rounds), and the
 * seed's autostart use case through `ctx.agent`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { groupStatus, groupsTestFile, killAgentAndStartAnother, history, params, waitForRounds } from './groups.helpers';
import { FIXTURES, instanceIn, listDaemons, markedPids, waitForInstance } from './support/daemons';
import { waitFor } from './support/waitFor';

const start = groupsTestFile();

const COUNTER = 'exports.main = (params) => { params.count = (params.count ?? 0) + 1; };\n';

describe('process groups: restarts', () => {
  it('restarts a SIGKILLed runner, which gets the params of the last round back', async () => {
    const { agent } = await start('groups:\n  interval: 0.3\n', { 'processhandler/counted/count.js': COUNTER });
    await waitForRounds(agent, 'counted', 3);
    const before = await groupStatus(agent, 'counted');
    const pid = before.pid!;
    process.kill(pid, 'SIGKILL');
    const after = await waitFor(
      async () => {
        const status = await groupStatus(agent, 'counted');
        return status.pid !== null && status.pid !== pid && status.state === 'running' ? status : null;
      },
      { what: 'a new runner' },
    );
    assert.ok(after.runnerRestarts >= 1);
    const countAtKill = (await history(agent, 'counted', 1))[0]!.round;
    await waitForRounds(agent, 'counted', countAtKill + 2);
    const live = await params(agent, 'counted');
    assert.ok(
      (live.count as number) >= countAtKill + 1,
      `the count went on from the kept params (${JSON.stringify(live.count)} after round ${countAtKill})`,
    );
    const rounds = (await history(agent, 'counted', 1000)).map((round) => round.round);
    assert.equal(new Set(rounds).size, rounds.length, 'round numbers stay unique across the restart');
  });

  it('keeps the runners through an agent SIGKILL: the next agent adopts them and no round is doubled', async () => {
    const { ws, agent } = await start('groups:\n  interval: 0.5\n', {
      'processhandler/steady/stamp.js': 'exports.main = (params) => { params.count = (params.count ?? 0) + 1; };\n',
    });
    await waitForRounds(agent, 'steady', 2);
    const runner = (await groupStatus(agent, 'steady')).pid!;
    const next = await killAgentAndStartAnother(ws, agent);
    const adopted = await waitFor(
      async () => {
        const status = await groupStatus(next, 'steady');
        return status.state === 'running' ? status : null;
      },
      { what: 'the adopted runner to say hello' },
    );
    assert.equal(adopted.pid, runner, 'the same runner process, adopted');
    const rounds = await waitForRounds(next, 'steady', adopted.rounds + 3);
    const numbers = rounds.map((round) => round.round);
    assert.equal(new Set(numbers).size, numbers.length, 'no round recorded twice');
    for (let index = 1; index < rounds.length; index++)
      assert.ok(rounds[index]!.startedAt - rounds[index - 1]!.startedAt >= 450, 'rounds keep their interval: one runner schedules them');
    const runners = markedPids(ws.dir).filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes('TASKWARDEN_RUN=groups:steady');
      } catch {
        return false;
      }
    });
    assert.deepEqual(runners, [runner], 'one runner for the group');
  });

  it("starts daemon B from a tasklet through ctx.agent only once daemon A runs (the seed's autostart)", async () => {
    const sleeper = path.join(FIXTURES, 'sleep-forever.sh');
    const { ws, agent } = await start(
      `tasks:\n  a: {control: event, commands: {start: [${sleeper}]}}\n  b: {control: event, commands: {start: [${sleeper}]}}\ngroups:\n  interval: 0.3\n`,
      {
        'processhandler/autostart/b.js': [
          'exports.description = "start b once a runs";',
          'exports.match = async (params, ctx) => (await ctx.agent.daemons.isRunning("a")) && !(await ctx.agent.daemons.isRunning("b"));',
          'exports.main = async (params, ctx) => { await ctx.agent.daemons.start("b"); params.startedB = (params.startedB ?? 0) + 1; };',
          '',
        ].join('\n'),
      },
    );
    await waitForRounds(agent, 'autostart', 3);
    assert.equal(instanceIn(await listDaemons(agent), 'b:0')?.state, 'stopped', 'b waits while a does not run');
    const started = await ws.cli(['start', 'a']);
    assert.equal(started.code, 0, started.stderr);
    await waitForInstance(agent, 'b:0', (instance) => instance.state === 'running', 'b to be started by the tasklet');
    const rounds = (await history(agent, 'autostart', 1000)).length;
    await waitForRounds(agent, 'autostart', rounds + 2);
    assert.equal((await params(agent, 'autostart')).startedB, 1, 'started once, then match says no');
  });
});
