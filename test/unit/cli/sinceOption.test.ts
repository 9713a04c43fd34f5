import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSince } from '../../../agent/cli/sinceOption';
import { parseDuration } from '../../../agent/protocol/durations';

describe('logs --since', () => {
  const now = Date.parse('2026-12-05T14:00:00Z');

  it('reads a duration back from now', () => {
    assert.equal(parseSince('10m', now), now - 600_000);
    assert.equal(parseSince('1h', now), now - 3_600_000);
    assert.equal(parseSince(' 30s ', now), now - 30_000);
    assert.equal(parseSince('1h30m', now), now - 5_400_000);
  });

  it('reads an ISO time, local unless it names its zone', () => {
    assert.equal(parseSince('2026-12-05T13:00:00Z', now), Date.parse('2026-12-05T13:00:00Z'));
    assert.equal(parseSince('2026-12-05T13:00', now), new Date(2026, 11, 5, 13, 0).getTime());
    assert.equal(parseSince('2026-12-05 13:00:05', now), new Date(2026, 11, 5, 13, 0, 5).getTime());
    assert.equal(parseSince('2026-12-05', now), new Date(2026, 11, 5).getTime());
  });

  it('reads nothing else', () => {
    for (const bad of ['', 'yesterday', '10', '10x', '-5m', '2026-13-45', 'm']) assert.equal(parseSince(bad, now), null, bad);
  });
});

describe('the one duration reader', () => {
  it('adds pieces in the units a person writes, and refuses the rest', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1d 2h'), 93_600_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('5 m'), 300_000);
    assert.equal(parseDuration('5'), null);
    assert.equal(parseDuration('5 minutes'), null);
  });
});
