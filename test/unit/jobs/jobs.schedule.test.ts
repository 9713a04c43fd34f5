/**
 * Next occurrences of the three schedule forms (rrule with start and time
 * zones, cron, every) from fixed instants, DST changes included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RRule } from 'rrule';
import { parsePeriod } from '../../../agent/jobs/schedule/every';
import { compileRecurrenceRule } from '../../../agent/jobs/schedule/rruleSchedule';
import { compileSchedule, nextOccurrences, parseStart, type Schedule } from '../../../agent/jobs/schedule/schedule';
import type { JobSchedule } from '../../../agent/jobs/protocol';

function compiled(spec: JobSchedule, start: string | number | null = null): Schedule {
  const result = compileSchedule(spec, start === null ? null : parseStart(start));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function next(schedule: Schedule, from: string, count = 3): string[] {
  return nextOccurrences(schedule, Date.parse(from), count).map((time) => new Date(time).toISOString());
}

const rrule = (text: string, tz: string | null = 'UTC'): JobSchedule => ({ kind: 'rrule', rrule: text, start: null, tz });

describe('rrule schedules', () => {
  it('read the rule on the wall clock of its zone: 06:00 in Paris is 05:00Z in winter and 04:00Z in summer', () => {
    const schedule = compiled(rrule('FREQ=DAILY;BYHOUR=6;BYMINUTE=0', 'Europe/Paris'));
    assert.deepEqual(next(schedule, '2026-03-27T12:00:00Z'), [
      '2026-03-28T05:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
      '2026-03-30T04:00:00.000Z',
    ]);
  });

  it('move a local time a spring-forward skips by the gap, and fire once in a fall-back fold', () => {
    const spring = compiled(rrule('FREQ=DAILY;BYHOUR=2;BYMINUTE=30', 'Europe/Paris'));
    assert.deepEqual(next(spring, '2026-03-28T12:00:00Z', 2), ['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
    const fall = compiled(rrule('FREQ=DAILY;BYHOUR=2;BYMINUTE=30', 'Europe/Paris'));
    assert.deepEqual(next(fall, '2026-10-24T12:00:00Z', 2), ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('count from start (an ISO time on the zone clock, or epoch seconds), COUNT included', () => {
    const counted = compiled(rrule('FREQ=DAILY;COUNT=3', 'UTC'), '2026-03-29T08:00');
    assert.deepEqual(next(counted, '2026-03-01T00:00:00Z', 5), [
      '2026-03-29T08:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
    ]);
    const epoch = compiled(rrule('FREQ=HOURLY;INTERVAL=5', 'UTC'), Date.parse('2026-01-01T01:00:00Z') / 1000);
    assert.deepEqual(next(epoch, '2026-01-01T02:00:00Z', 2), ['2026-01-01T06:00:00.000Z', '2026-01-01T11:00:00.000Z']);
  });

  it('give the same occurrences as rrule itself, however far from their start (the re-based rule)', () => {
    for (const text of [
      'FREQ=MINUTELY;INTERVAL=7',
      'FREQ=HOURLY;INTERVAL=5;BYMINUTE=15',
      'FREQ=WEEKLY;INTERVAL=3',
      'FREQ=MONTHLY;INTERVAL=5',
      'FREQ=DAILY;INTERVAL=9',
    ]) {
      const start = Date.UTC(2025, 0, 31, 10, 20, 0);
      const reference = new RRule({ ...RRule.parseString(text), dtstart: new Date(start) });
      const from = Date.UTC(2026, 5, 1, 13, 0, 0);
      const expected = [reference.after(new Date(from), false)!.getTime()];
      while (expected.length < 3) expected.push(reference.after(new Date(expected.at(-1)!), false)!.getTime());
      assert.deepEqual(nextOccurrences(compiled(rrule(text, 'UTC'), '2025-01-31T10:20:00Z'), from, 3), expected, text);
    }
  });

  it('without start count from 2000-01-01 00:00 local, so FREQ=HOURLY fires on the hour and a restart never moves it', () => {
    assert.deepEqual(next(compiled(rrule('FREQ=HOURLY', 'America/New_York')), '2026-06-01T10:17:00Z', 2), [
      '2026-06-01T11:00:00.000Z',
      '2026-06-01T12:00:00.000Z',
    ]);
  });

  it('end with UNTIL', () => {
    const schedule = compiled(rrule('FREQ=DAILY;UNTIL=20260103T000000Z', 'UTC'), '2026-01-01T00:00:00Z');
    assert.deepEqual(next(schedule, '2025-12-31T00:00:00Z', 5), [
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
  });

  it('refuse a bad rule or zone with a message that says what is wrong', () => {
    const bad = compileSchedule(rrule('FREQ=SOMETIMES'));
    assert.equal(bad.ok ? '' : bad.error.reason, 'bad-rrule');
    const zone = compileSchedule(rrule('FREQ=DAILY', 'Mars/Base'));
    assert.equal(zone.ok ? '' : zone.error.message, "unknown time zone 'Mars/Base' (an IANA name such as Europe/Paris or UTC)");
  });
});

describe('cron schedules', () => {
  it('fire at the expression in its zone', () => {
    const schedule = compiled({ kind: 'cron', cron: '0 6 * * 1-5', tz: 'Asia/Tokyo' });
    // Friday 2026-06-05 12:00Z is 21:00 in Tokyo: next is Monday 06:00 JST = Sunday 21:00Z.
    assert.deepEqual(next(schedule, '2026-06-05T12:00:00Z', 2), ['2026-06-07T21:00:00.000Z', '2026-06-08T21:00:00.000Z']);
  });

  it('step with */N and refuse a minute of 61', () => {
    assert.deepEqual(next(compiled({ kind: 'cron', cron: '*/15 * * * *', tz: 'UTC' }), '2026-06-05T12:07:00Z', 2), [
      '2026-06-05T12:15:00.000Z',
      '2026-06-05T12:30:00.000Z',
    ]);
    const bad = compileSchedule({ kind: 'cron', cron: '61 * * * *', tz: null });
    assert.equal(bad.ok ? '' : bad.error.reason, 'bad-cron');
  });
});

describe('every schedules', () => {
  it('are multiples of the period from the epoch (or start): every 30s fires at :00 and :30', () => {
    assert.deepEqual(next(compiled({ kind: 'every', everyMs: 30_000 }), '2026-06-05T12:00:10Z'), [
      '2026-06-05T12:00:30.000Z',
      '2026-06-05T12:01:00.000Z',
      '2026-06-05T12:01:30.000Z',
    ]);
    assert.deepEqual(next(compiled({ kind: 'every', everyMs: 3_600_000 }, '2026-06-05T00:20:00Z'), '2026-06-05T12:00:00Z', 1), [
      '2026-06-05T12:20:00.000Z',
    ]);
  });

  it('read periods as people write them', () => {
    assert.deepEqual(
      ['30s', '5m', '1h30m', '500ms', '1d', 90, '2'].map((text) => parsePeriod(text)).map((result) => (result.ok ? result.value : null)),
      [30_000, 300_000, 5_400_000, 500, 86_400_000, 90_000, 2000],
    );
    for (const bad of ['soon', '5 minutes', '10ms', '', -1]) assert.equal(parsePeriod(bad).ok, false, String(bad));
  });
});

describe('compiled schedules', () => {
  it('are shared by every job with the same spec, start and zone', () => {
    const hourly = rrule('FREQ=HOURLY', 'Europe/Paris');
    assert.equal(compiled(hourly), compiled({ ...hourly }));
    assert.notEqual(compiled(hourly), compiled(rrule('FREQ=HOURLY', 'UTC')));
    assert.notEqual(compiled(hourly), compiled(hourly, '2026-01-01T00:30:00'));
  });

  it('answer any sequence of questions as the rule compiled afresh does (the last answer they keep never goes stale)', () => {
    const text = 'FREQ=MINUTELY;INTERVAL=7;BYHOUR=9,10,17';
    const shared = compiled(rrule(text, 'Europe/Paris'));
    const fresh = compileRecurrenceRule(text, null, 'Europe/Paris');
    assert.ok(fresh.ok);
    const from = Date.parse('2026-03-28T20:00:00Z');
    let seed = 7;
    const random = (): number => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let question = 0; question < 300; question++) {
      // Mostly nearby instants, as jobs due together ask; now and then a jump back or far ahead.
      const at = from + Math.floor((random() < 0.8 ? random() * 2 : random() * 96) * 3_600_000);
      assert.equal(shared.next(at), fresh.value.next(at), `next after ${new Date(at).toISOString()}`);
    }
  });
});
