/**
 * An RFC 5545 recurrence rule (Canopsis' `rrule` + `start`), read with the
 * `rrule` library on the wall clock of its time zone (wallClock.ts) so that a
 * DST change moves no occurrence. A rule with no `start` counts from
 * 2000-01-01 00:00 local time, so `FREQ=DAILY` fires at midnight and a restart
 * never moves it. rrule walks a rule from its start, so the rule is re-based
 * on a start near the asked time (a whole number of periods later: the same
 * occurrences) unless it has a COUNT, which counts from the real start.
 */
import { Frequency, RRule, type Options } from 'rrule';
import { failed, ok, type Failure, type Result } from '../../result';
import { fromWallClock, toWallClock } from './wallClock';

/** The wall-clock start of a rule that names none. */
const DEFAULT_START = Date.UTC(2000, 0, 1);
const DAY = 86_400_000;

export interface RecurrenceRule {
  /** The first occurrence strictly after instant `at` (ms), or null once the rule has ended. */
  next(at: number): number | null;
  /** The rule in words ("every day at 6 AM"). */
  readonly text: string;
}

/** The options rrule fills from its start when they are left out, written out, so a later start gives the same set. */
function explicitDefaults(options: Partial<Options>, start: Date): Partial<Options> {
  const filled: Partial<Options> = { ...options };
  const freq = options.freq!;
  const byDay = options.byweekday ?? options.bymonthday ?? options.byyearday ?? options.byweekno;
  if (freq < Frequency.HOURLY) filled.byhour ??= start.getUTCHours();
  if (freq < Frequency.MINUTELY) filled.byminute ??= start.getUTCMinutes();
  if (freq < Frequency.SECONDLY) filled.bysecond ??= start.getUTCSeconds();
  if (byDay === null || byDay === undefined) {
    if (freq === Frequency.YEARLY) {
      filled.bymonth ??= start.getUTCMonth() + 1;
      filled.bymonthday = start.getUTCDate();
    } else if (freq === Frequency.MONTHLY) filled.bymonthday = start.getUTCDate();
    else if (freq === Frequency.WEEKLY) filled.byweekday = (start.getUTCDay() + 6) % 7;
  }
  return filled;
}

/** A start at or before `target` (floating ms), a whole number of the rule's periods after `start`. */
function rebasedStart(start: Date, freq: Frequency, interval: number, target: number): Date {
  const from = start.getTime();
  if (target - from < 2 * DAY) return start;
  const fixed: Partial<Record<Frequency, number>> = {
    [Frequency.WEEKLY]: 7 * DAY,
    [Frequency.DAILY]: DAY,
    [Frequency.HOURLY]: 3_600_000,
    [Frequency.MINUTELY]: 60_000,
    [Frequency.SECONDLY]: 1000,
  };
  const period = fixed[freq];
  // One period of margin (and a day for the zone's offset) keeps the first occurrence after `target` in view.
  const reach = target - from - DAY;
  if (period !== undefined) {
    const step = period * interval;
    return new Date(from + Math.max(0, Math.floor(reach / step) - 1) * step);
  }
  const months = freq === Frequency.MONTHLY ? interval : 12 * interval;
  const targetDate = new Date(target);
  const elapsed = (targetDate.getUTCFullYear() - start.getUTCFullYear()) * 12 + targetDate.getUTCMonth() - start.getUTCMonth();
  const steps = Math.max(0, Math.floor(elapsed / months) - 1);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + steps * months, 1));
}

export type RuleFailure = Failure<'bad-rrule'>;

/**
 * Compiles `text` (`FREQ=…;…`, with or without `RRULE:`, or a DTSTART line
 * and an RRULE line) for `zone`. `start` is an instant (ms) or a wall-clock
 * time in `zone` (floating ms); null: the rule's DTSTART, else 2000-01-01.
 */
export function compileRecurrenceRule(
  text: string,
  start: { readonly at: number; readonly floating: boolean } | null,
  zone: string,
): Result<RecurrenceRule, RuleFailure> {
  let parsed: Partial<Options>;
  try {
    parsed = RRule.parseString(text.trim());
  } catch (error: unknown) {
    return failed({ reason: 'bad-rrule', message: `bad rrule '${text}': ${(error as Error).message}` });
  }
  if (parsed.freq === undefined || parsed.freq === null)
    return failed({
      reason: 'bad-rrule',
      message: `bad rrule '${text}': FREQ must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY (e.g. FREQ=DAILY;BYHOUR=6)`,
    });
  let wallStart: number;
  if (start !== null) wallStart = start.floating ? start.at : toWallClock(start.at, zone);
  else if (parsed.dtstart) wallStart = parsed.tzid ? parsed.dtstart.getTime() : toWallClock(parsed.dtstart.getTime(), zone);
  else wallStart = DEFAULT_START;
  const startDate = new Date(Math.floor(wallStart / 1000) * 1000);
  const base: Partial<Options> = { ...parsed, tzid: null, dtstart: startDate };
  let rule: RRule;
  try {
    // No rrule cache: it keeps every answer in a list scanned at each call, growing for as long as the agent runs.
    rule = new RRule(base, true);
    rule.after(startDate, true);
  } catch (error: unknown) {
    return failed({ reason: 'bad-rrule', message: `bad rrule '${text}': ${(error as Error).message}` });
  }
  const until = parsed.until ? (parsed.tzid ? parsed.until.getTime() : toWallClock(parsed.until.getTime(), zone)) : null;
  const rebase = !parsed.count;
  const filled = explicitDefaults({ ...base, until: until === null ? null : new Date(until) }, startDate);
  let rebased: { readonly from: number; readonly rule: RRule } | null = null;
  const ruleFor = (wall: number): RRule => {
    if (!rebase) return rule;
    const freq = parsed.freq!;
    if (rebased === null || wall < rebased.from || wall - rebased.from > 400 * DAY) {
      const from = rebasedStart(startDate, freq, parsed.interval ?? 1, wall);
      rebased = { from: from.getTime(), rule: from === startDate ? rule : new RRule({ ...filled, dtstart: from }, true) };
    }
    return rebased.rule;
  };
  let words: string;
  try {
    words = rule.toText();
  } catch {
    words = text;
  }
  return ok({
    text: words,
    next(at: number): number | null {
      // Just after a DST fold the wall clock shows times again that came before: walk from the fold's start.
      const wallAt = toWallClock(at, zone);
      const fold = Math.max(0, toWallClock(at - 3 * 3_600_000, zone) + 3 * 3_600_000 - wallAt);
      let wall = wallAt - fold;
      for (let guard = 0; guard < 10_000; guard++) {
        const found = ruleFor(wall).after(new Date(wall), false);
        if (found === null) return null;
        const instant = fromWallClock(found.getTime(), zone);
        if (instant > at) return instant;
        wall = found.getTime();
      }
      return null;
    },
  });
}
