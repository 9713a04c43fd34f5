/**
 * A job's schedule, compiled: the first occurrence after a time, and the
 * schedule in words. Three forms: `{ rrule, start, tz }` (Canopsis'),
 * `{ cron, tz }` (croner) and `{ every, start }`. Pure but for the clock the
 * caller passes in; the config check compiles each schedule, so a bad rule,
 * cron or zone is an error at its line before the part ever sees it.
 */
import { Cron } from 'croner';
import { failed, ok, type Failure, type Result } from '../../result';
import type { JobSchedule } from '../protocol';
import { nextMultiple, periodText } from './every';
import { compileRecurrenceRule } from './rruleSchedule';
import { isKnownZone, localZone } from './wallClock';

export interface Schedule {
  readonly spec: JobSchedule;
  /** The first occurrence strictly after instant `at` (ms), or null when there is none (a rule that ended, no schedule). */
  next(at: number): number | null;
  /** In words, for `job list`, the view and the hover. */
  readonly text: string;
}

export type ScheduleFailure = Failure<'bad-rrule' | 'bad-cron' | 'bad-zone'>;

/** A start as the config gives it: epoch seconds, or an ISO time (with a zone or offset: an instant; without: the schedule's wall clock). */
export type ScheduleStart = { readonly at: number; readonly floating: boolean };

/** Reads `start`: epoch seconds or an ISO 8601 time; null when it is neither. */
export function parseStart(value: unknown): ScheduleStart | null {
  if (typeof value === 'number' && Number.isFinite(value)) return { at: value * 1000, floating: false };
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return { at: Number(value) * 1000, floating: false };
  if (value instanceof Date && !Number.isNaN(value.getTime())) return { at: value.getTime(), floating: false };
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, zone] = match;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0));
  if (Number.isNaN(wall)) return null;
  if (zone === undefined) return { at: wall, floating: true };
  if (/^z$/i.test(zone)) return { at: wall, floating: false };
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return { at: wall - offset, floating: false };
}

function zoneOf(tz: string | null): Result<string, ScheduleFailure> {
  if (tz === null) return ok(localZone());
  if (!isKnownZone(tz))
    return failed({ reason: 'bad-zone', message: `unknown time zone '${tz}' (an IANA name such as Europe/Paris or UTC)` });
  return ok(tz);
}

/** Compiled schedules by what they were compiled from: at most this many are kept. */
const COMPILED_KEPT = 512;
const compiled = new Map<string, Result<Schedule, ScheduleFailure>>();

/**
 * Compiles a schedule, sharing one compiled object between every job (and
 * every re-check of the config as it is typed) with the same spec, start and
 * zone: 10,000 hourly jobs hold one rule, not 10,000. A compiled schedule
 * keeps no per-job state, so sharing it is safe.
 */
export function compileSchedule(spec: JobSchedule, start: ScheduleStart | null = null): Result<Schedule, ScheduleFailure> {
  const key = JSON.stringify([spec, start, spec.kind === 'cron' || spec.kind === 'rrule' ? (spec.tz ?? localZone()) : null]);
  const known = compiled.get(key);
  if (known !== undefined) return known;
  const once = compileOnce(spec, start);
  const result = once.ok ? ok(rememberingLastAnswer(once.value)) : once;
  if (compiled.size >= COMPILED_KEPT) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, result);
  return result;
}

/**
 * The schedule with its last answer kept: when `next(a)` was `n`, no occurrence
 * lies in (a, n), so `next(b)` is `n` for every b in [a, n). The jobs sharing
 * a schedule ask at nearly the same instants (all loaded at one `now`, all due
 * at one occurrence), so a rule is walked once per occurrence, not once per job.
 */
function rememberingLastAnswer(schedule: Schedule): Schedule {
  let askedAt = Number.NaN;
  let answer: number | null = null;
  return {
    spec: schedule.spec,
    text: schedule.text,
    next(at: number): number | null {
      if (answer !== null && at >= askedAt && at < answer) return answer;
      const found = schedule.next(at);
      askedAt = at;
      answer = found;
      return found;
    },
  };
}

function compileOnce(spec: JobSchedule, start: ScheduleStart | null): Result<Schedule, ScheduleFailure> {
  switch (spec.kind) {
    case 'none':
      return ok({ spec, next: () => null, text: 'not scheduled (run it with job run)' });
    case 'every': {
      const anchor = start === null ? 0 : start.floating ? start.at - new Date(start.at).getTimezoneOffset() * 60_000 : start.at;
      return ok({ spec, next: (at) => nextMultiple(at, spec.everyMs, anchor), text: periodText(spec.everyMs) });
    }
    case 'cron': {
      const zone = zoneOf(spec.tz);
      if (!zone.ok) return zone;
      let cron: Cron;
      try {
        cron = new Cron(spec.cron, { timezone: zone.value, paused: true });
      } catch (error: unknown) {
        return failed({
          reason: 'bad-cron',
          message: `bad cron '${spec.cron}': ${(error as Error).message.replace(/^CronPattern: /, '')}`,
        });
      }
      return ok({
        spec,
        next: (at) => cron.nextRun(new Date(at))?.getTime() ?? null,
        text: `cron ${spec.cron}${spec.tz === null ? '' : ` (${spec.tz})`}`,
      });
    }
    case 'rrule': {
      const zone = zoneOf(spec.tz);
      if (!zone.ok) return zone;
      const floating = start ?? (spec.start === null ? null : { at: spec.start, floating: false });
      const rule = compileRecurrenceRule(spec.rrule, floating, zone.value);
      if (!rule.ok) return rule;
      return ok({ spec, next: (at) => rule.value.next(at), text: rule.value.text + (spec.tz === null ? '' : ` (${spec.tz})`) });
    }
    default:
      return assertNever(spec);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected schedule ${JSON.stringify(value)}`);
}

/** The next `count` occurrences after `from` (fewer when the schedule ends). */
export function nextOccurrences(schedule: Schedule, from: number, count: number): number[] {
  const times: number[] = [];
  let at = from;
  while (times.length < count) {
    const next = schedule.next(at);
    if (next === null) break;
    times.push(next);
    at = next;
  }
  return times;
}
