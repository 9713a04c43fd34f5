import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packResults } from '../../../agent/protocol/packedRound';
import type { TaskletResult } from '../../../agent/protocol/groups';
import { isNews, type RoundGist } from '../../../agent/groups/runner/roundNews';

const NAMES = ['a.js', 'b.js'];

function round(results: Partial<TaskletResult>[], extra: Partial<RoundGist> = {}): RoundGist {
  const full = results.map((result, index) => ({
    name: NAMES[index]!,
    outcome: 'ok' as const,
    matched: true,
    startedAt: 1000 + index,
    durationMs: 1,
    error: null,
    ...result,
  }));
  return { endedBy: 'done', names: NAMES, paramsText: '{}', results: packResults(full, 1000), ...extra };
}

describe('round news (what a runner never holds back)', () => {
  it('finds no news in a round like the one before, whatever its times', () => {
    assert.equal(isNews(round([{}, {}]), round([{ durationMs: 7, startedAt: 1300 }, {}])), false);
  });

  it('finds news in the first round, an error, a new outcome or match, other params, tasklets or end', () => {
    const before = round([{}, {}]);
    assert.equal(isNews(null, before), true, 'the first round');
    assert.equal(isNews(before, round([{}, { outcome: 'error', error: { message: 'boom', stack: [] } }])), true, 'an error');
    assert.equal(isNews(before, round([{}, { outcome: 'not-matched', matched: false, startedAt: null }])), true, 'a match said no');
    assert.equal(isNews(round([{}, { outcome: 'not-matched', matched: false, startedAt: null }]), before), true, 'a new match');
    assert.equal(isNews(before, round([{}, {}], { paramsText: '{"n":1}' })), true, 'params');
    assert.equal(isNews(before, round([{}, {}], { names: ['a.js', 'c.js'] })), true, 'tasklets');
    assert.equal(
      isNews(before, round([{}, { outcome: 'skipped', matched: null, startedAt: null }], { endedBy: 'break' })),
      true,
      'a break',
    );
  });

  it('finds news again in every round that keeps failing (each error is told)', () => {
    const failing = round([{ outcome: 'error', error: { message: 'boom', stack: [] } }, {}]);
    assert.equal(isNews(failing, failing), true);
  });
});
