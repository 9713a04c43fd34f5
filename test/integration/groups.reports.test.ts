/**
 * How the runners' round reports reach the agent (agentLink.ts, roundNews.ts):
 * while no client watches, a round without news is held and sent with the
 * next ones, yet every read (history, status) gets every round that ended; a
 * client subscribed to the groups gets each round as it ends; and an agent
 * SIGKILLed before it stored the rounds it was told of loses none of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ReadStatsRequest,
  RunRoundRequest,
  StateChangedNotification,
  statsSeriesId,
  SubscribeRequest,
  type GroupRound,
  type GroupsDelta,
} from '../../agent/protocol';
import type { AgentConnection } from '../../agent/cli/agentClient';
import { groupStatus, groupsTestFile, killAgentAndStartAnother, history, waitForRounds } from './groups.helpers';
import { waitFor } from './support/waitFor';

const start = groupsTestFile();

/** Tasklets whose rounds all look alike: nothing but their times tells one from the next. */
const QUIET_JS = 'exports.main = () => undefined;\n';
const QUIET_PY = 'def main(params, ctx):\n    pass\n';

/** The rounds the agent has been told of, without asking the runners (the stats' round durations). */
async function roundsTold(agent: AgentConnection, group: string): Promise<number> {
  const stats = await agent.connection.sendRequest(ReadStatsRequest.type, {});
  const id = statsSeriesId({ metric: 'roundDuration', subject: group });
  return stats.points.find((points) => points.id === id)?.t.length ?? 0;
}

function assertConsecutive(rounds: readonly GroupRound[], what: string): void {
  const numbers = rounds.map((round) => round.round).sort((a, b) => a - b);
  for (let index = 1; index < numbers.length; index++)
    assert.equal(numbers[index], numbers[index - 1]! + 1, `${what}: no round missing or doubled (${numbers.join(', ')})`);
}

describe('process groups: round reports', () => {
  it('holds the reports of rounds without news while no client watches, and a read still gets every round that ended', async () => {
    const { agent } = await start('groups:\n  interval: 0.3\n', {
      'processhandler/quiet/noop.js': QUIET_JS,
      'processhandler/pyquiet/noop.py': QUIET_PY,
    });
    for (const group of ['quiet', 'pyquiet']) {
      // The first round is news (nothing came before it): it is told at once.
      await waitFor(async () => ((await roundsTold(agent, group)) >= 1 ? true : null), { what: `the first round of ${group}` });
      // For 1.5 s (five rounds at 0.3 s) the agent hears of no further round: they are held (5 s).
      const watchedFrom = Date.now();
      let told = 0;
      while (Date.now() - watchedFrom < 1500) told = Math.max(told, await roundsTold(agent, group));
      assert.ok(told <= 2, `${group}: the agent was told of ${told} rounds while they were held`);
      // A read asks the runner for what it holds: every round that ended is there.
      const rounds = await history(agent, group, 100);
      assert.ok(rounds.length >= 5, `${group}: ${rounds.length} rounds read after 1.5 s at 0.3 s`);
      assert.ok(Date.now() - rounds[0]!.endedAt < 1500, `${group}: the last round read ended ${Date.now() - rounds[0]!.endedAt} ms ago`);
      assertConsecutive(rounds, group);
      const status = await groupStatus(agent, group);
      assert.ok(status.rounds >= rounds[0]!.round, `${group}: status counts ${status.rounds} rounds`);
    }
  });

  it('tells a client subscribed to the groups of each round as it ends', async () => {
    const { agent } = await start('groups:\n  interval: 0.3\n', { 'processhandler/quiet/noop.js': QUIET_JS });
    await waitForRounds(agent, 'quiet', 2);
    const received: { round: GroupRound; at: number }[] = [];
    agent.connection.onNotification(StateChangedNotification.type, (params) => {
      const delta = params.delta as GroupsDelta;
      if (params.topic === 'groups' && delta.kind === 'round') received.push({ round: delta.round, at: Date.now() });
    });
    await agent.connection.sendRequest(SubscribeRequest.type, { topics: ['groups'] });
    await waitFor(() => (received.length >= 6 ? true : null), { what: 'six round deltas' });
    // The first may be the rounds held before the subscription; each one after comes alone, at its end.
    for (const { round, at } of received.slice(2))
      assert.ok(at - round.endedAt < 1000, `round ${round.round} told ${at - round.endedAt} ms after its end`);
    assertConsecutive(
      received.map(({ round }) => round),
      'round deltas',
    );
  });

  it('records the rounds a runner held when a tasklet that never returns gets it killed (JavaScript and Python)', async () => {
    const { agent } = await start('groups:\n  interval: 0.2\n  time_limit: 0.5\n', {
      'processhandler/hangs/noop.js': QUIET_JS,
      'processhandler/hangs/loops.js': 'exports.match = (params, ctx) => ctx.round === 6;\nexports.main = () => { for (;;) {} };\n',
      'processhandler/pyhangs/noop.py': QUIET_PY,
      'processhandler/pyhangs/loops.py':
        'def match(params, ctx):\n    return ctx.round == 6\n\ndef main(params, ctx):\n    while True:\n        pass\n',
    });
    for (const group of ['hangs', 'pyhangs']) {
      // Rounds 2 to 5 tell nothing new (held); round 6 hangs and the watchdog kills the runner. Nothing here
      // asks for the held rounds (a read would) until the rounds after the kill were told.
      await waitFor(async () => ((await roundsTold(agent, group)) >= 7 ? true : null), {
        what: `${group}: 7 rounds told`,
        timeoutMs: 30_000,
      });
      const rounds = await waitForRounds(agent, group, 8, 30_000);
      const killed = rounds.find((round) => round.endedBy === 'runner-killed');
      assert.equal(killed?.round, 6, `${group}: round 6 is the one the runner was killed in`);
      assert.deepEqual(
        rounds.slice(0, 6).map((round) => round.round),
        [1, 2, 3, 4, 5, 6],
        `${group}: the rounds held before the hang are recorded`,
      );
      assertConsecutive(rounds, group);
    }
  });

  it('loses no round through an agent SIGKILL, neither those it was told of and had not stored nor those held', async () => {
    const { ws, agent } = await start('groups:\n  interval: 0.3\n', { 'processhandler/quiet/noop.js': QUIET_JS });
    await waitForRounds(agent, 'quiet', 3);
    // A round asked for is told at once; the agent stores rounds within a second: this one is not stored yet.
    const asked = await agent.connection.sendRequest(RunRoundRequest.type, { group: 'quiet', wait: true });
    const next = await killAgentAndStartAnother(ws, agent);
    const rounds = await waitForRounds(next, 'quiet', asked.round + 3);
    assert.ok(
      rounds.some((round) => round.round === asked.round),
      `round ${asked.round} (told, then the agent was killed) is in the history`,
    );
    assertConsecutive(rounds, 'across the agent SIGKILL');
  });
});
