/**
 * The `jobs:` and `handlers:` sections and `settings.job_events_kept`, read
 * into typed values with their diagnostics: each schedule is compiled (a bad
 * rrule, cron or time zone is an error at its line), each handler must exist,
 * and the params are checked against the handler's JSON Schema (a warning at
 * the param's line: the job loads, and each run says "Invalid job: …"). Pure: the agent, the editor (through the agent) and
 * `taskwarden check` call it.
 */
import * as path from 'node:path';
import type { CheckContext, ConfigSection } from '../../config/checks';
import type { PathDiagnostic } from '../../config/diagnostic';
import { closestName, didYouMeanOf } from '../../config/suggest';
import type { JobSchedule } from '../protocol';
import type { CatchUp } from '../dueTimes';
import { BUILTIN_SCHEMAS } from '../handlers/builtinSchemas';
import { checkParams } from '../handlers/paramsValidation';
import { userSchemaOf } from '../handlers/userSchemas';
import { parsePeriod } from '../schedule/every';
import { compileSchedule, parseStart, type Schedule } from '../schedule/schedule';

export interface JobConfig {
  readonly name: string;
  /** The handler's name (`task:`). */
  readonly handler: string;
  readonly schedule: Schedule;
  /** The schedule's start as an instant, when it names one (a start in the future delays the first run). */
  readonly startsAt: number | null;
  readonly params: Readonly<Record<string, unknown>>;
  readonly timeLimitMs: number;
  readonly enabled: boolean;
  readonly catchUp: CatchUp;
  readonly runOnStart: boolean;
}

export interface JobsConfig {
  readonly jobs: ReadonlyMap<string, JobConfig>;
  /** The user handlers' folder (absolute). */
  readonly handlersRoot: string;
  /** Check events kept per job (older ones are dropped). */
  readonly eventsKept: number;
}

/** Nagios 4's default check timeout. */
export const DEFAULT_TIME_LIMIT_S = 60;
export const DEFAULT_EVENTS_KEPT = 1000;
export const USER_HANDLER_EXTENSIONS = ['.js', '.mjs', '.ts'] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const JOB_KEYS = ['task', 'schedule', 'params', 'time_limit', 'enabled', 'catch_up', 'run_on_start'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The handler files under the root that name `handler` (handlers/NAME.js, .mjs or .ts). */
export function userHandlerFile(root: string, handler: string, context: Pick<CheckContext, 'readFile'>): string | null {
  for (const extension of USER_HANDLER_EXTENSIONS) {
    const file = path.join(root, `${handler}${extension}`);
    if (context.readFile(file) !== null) return file;
  }
  return null;
}

function readSchedule(
  raw: unknown,
  at: readonly string[],
  diagnostics: PathDiagnostic[],
): { schedule: Schedule; startsAt: number | null } | null {
  const error = (where: readonly string[], message: string) => {
    diagnostics.push({ path: where, severity: 'error', message });
    return null;
  };
  if (raw === undefined || raw === null) {
    const compiled = compileSchedule({ kind: 'none' });
    return compiled.ok ? { schedule: compiled.value, startsAt: null } : null;
  }
  if (!isRecord(raw))
    return error(at, "schedule must be one of { rrule: 'FREQ=…', start }, { cron: '*/5 * * * *', tz } or { every: '30s' }");
  const forms = ['rrule', 'cron', 'every'].filter((key) => raw[key] !== undefined);
  if (forms.length !== 1)
    return error(
      at,
      forms.length === 0 ? 'schedule needs one of rrule, cron or every' : `schedule has ${forms.join(' and ')}: give only one`,
    );
  const allowed: Record<string, readonly string[]> = { rrule: ['rrule', 'start', 'tz'], cron: ['cron', 'tz'], every: ['every', 'start'] };
  const form = forms[0]!;
  let ok = true;
  for (const key of Object.keys(raw))
    if (!allowed[form]!.includes(key)) {
      diagnostics.push({
        path: [...at, key],
        atKey: true,
        severity: 'error',
        message: `unknown key '${key}' in a ${form} schedule (expected ${allowed[form]!.join(', ')})`,
      });
      ok = false;
    }
  let tz: string | null = null;
  if (raw.tz !== undefined) {
    if (typeof raw.tz !== 'string' || raw.tz === '') return error([...at, 'tz'], 'tz must be a time zone name such as Europe/Paris or UTC');
    tz = raw.tz;
  }
  let start = null;
  if (raw.start !== undefined) {
    start = parseStart(raw.start);
    if (start === null)
      return error([...at, 'start'], 'start must be epoch seconds or an ISO time (2026-01-31T06:00, with Z or +01:00 for an instant)');
  }
  let spec: JobSchedule;
  if (form === 'every') {
    const period = parsePeriod(raw.every);
    if (!period.ok) return error([...at, 'every'], period.error.message);
    spec = { kind: 'every', everyMs: period.value };
  } else if (form === 'cron') {
    if (typeof raw.cron !== 'string') return error([...at, 'cron'], "cron must be a string such as '*/5 * * * *'");
    spec = { kind: 'cron', cron: raw.cron, tz };
  } else {
    if (typeof raw.rrule !== 'string') return error([...at, 'rrule'], "rrule must be a string such as 'FREQ=DAILY;BYHOUR=6'");
    spec = { kind: 'rrule', rrule: raw.rrule, start: start === null || start.floating ? null : start.at, tz };
  }
  const compiled = compileSchedule(spec, start);
  if (!compiled.ok) {
    const key = compiled.error.reason === 'bad-zone' ? 'tz' : form;
    return error([...at, key], compiled.error.message);
  }
  if (!ok) return null;
  let startsAt: number | null = null;
  if (start !== null) startsAt = start.floating ? (compiled.value.next(start.at - 86_400_000 * 2) ?? start.at) : start.at;
  return { schedule: compiled.value, startsAt };
}

function readJob(name: string, raw: unknown, handlersRoot: string, context: CheckContext, diagnostics: PathDiagnostic[]): JobConfig | null {
  const at = ['jobs', name];
  if (!NAME.test(name)) {
    diagnostics.push({ path: at, atKey: true, severity: 'error', message: `job name '${name}': letters, digits, '_', '.', '-' only` });
    return null;
  }
  if (!isRecord(raw)) {
    diagnostics.push({ path: at, severity: 'error', message: `job '${name}' must be a mapping { task, schedule, params }` });
    return null;
  }
  const before = diagnostics.length;
  for (const key of Object.keys(raw))
    if (!JOB_KEYS.includes(key))
      diagnostics.push({
        path: [...at, key],
        atKey: true,
        severity: 'error',
        ...didYouMeanOf(key, closestName(key, JOB_KEYS)),
        message: `unknown key '${key}' (expected ${JOB_KEYS.join(', ')})`,
      });
  const handler = raw.task;
  if (typeof handler !== 'string' || handler === '') {
    diagnostics.push({
      path: raw.task === undefined ? at : [...at, 'task'],
      atKey: raw.task === undefined,
      severity: 'error',
      message: 'task must name a handler: command, http, queue, noop or a module in the handlers folder',
    });
    return null;
  }
  const builtin = BUILTIN_SCHEMAS[handler];
  const userFile = builtin === undefined ? userHandlerFile(handlersRoot, handler, context) : null;
  const schema = builtin ?? (userFile === null ? undefined : (userSchemaOf(userFile) ?? undefined));
  if (builtin === undefined && userFile === null)
    diagnostics.push({
      path: [...at, 'task'],
      severity: 'error',
      ...didYouMeanOf(handler, closestName(handler, Object.keys(BUILTIN_SCHEMAS))),
      message: `unknown handler '${handler}': the built-in ones are ${Object.keys(BUILTIN_SCHEMAS).join(', ')}; a user handler is ${path.relative(context.workspace, handlersRoot) || '.'}/${handler}.js, .mjs or .ts`,
    });
  const schedule = readSchedule(raw.schedule, [...at, 'schedule'], diagnostics);
  const params = raw.params ?? {};
  if (!isRecord(params)) diagnostics.push({ path: [...at, 'params'], severity: 'error', message: 'params must be a mapping' });
  // Canopsis checks params when a job runs: a job whose params fail still loads (a warning at the
  // param), and each of its runs is a CRITICAL "Invalid job: …" event instead of a run.
  else if (schema !== undefined)
    diagnostics.push(...checkParams(schema, params, [...at, 'params']).map((problem) => ({ ...problem, severity: 'warning' as const })));
  let timeLimitMs = DEFAULT_TIME_LIMIT_S * 1000;
  if (raw.time_limit !== undefined) {
    if (typeof raw.time_limit !== 'number' || !(raw.time_limit > 0))
      diagnostics.push({ path: [...at, 'time_limit'], severity: 'error', message: 'time_limit must be a number of seconds above 0' });
    else timeLimitMs = Math.round(raw.time_limit * 1000);
  }
  const flag = (key: string, fallback: boolean): boolean => {
    const value = raw[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    diagnostics.push({ path: [...at, key], severity: 'error', message: `${key} must be true or false` });
    return fallback;
  };
  const enabled = flag('enabled', true);
  const runOnStart = flag('run_on_start', true);
  let catchUp: CatchUp = 'one';
  if (raw.catch_up !== undefined) {
    if (raw.catch_up !== 'one' && raw.catch_up !== 'none')
      diagnostics.push({
        path: [...at, 'catch_up'],
        severity: 'error',
        message: "catch_up must be 'one' (one run for the occurrences missed while the agent was down) or 'none'",
      });
    else catchUp = raw.catch_up;
  }
  if (diagnostics.slice(before).some((problem) => problem.severity === 'error') || schedule === null || !isRecord(params)) return null;
  return { name, handler, schedule: schedule.schedule, startsAt: schedule.startsAt, params, timeLimitMs, enabled, catchUp, runOnStart };
}

export function readJobsConfig(data: Record<string, unknown>, context: CheckContext): { diagnostics: PathDiagnostic[]; value: JobsConfig } {
  const diagnostics: PathDiagnostic[] = [];
  let handlersRoot = path.join(context.workspace, 'handlers');
  const handlers = data.handlers;
  if (isRecord(handlers) && handlers.root !== undefined) {
    if (typeof handlers.root !== 'string' || handlers.root === '')
      diagnostics.push({ path: ['handlers', 'root'], severity: 'error', message: 'handlers.root must be a folder path' });
    else handlersRoot = path.resolve(context.workspace, handlers.root);
  }
  let eventsKept = DEFAULT_EVENTS_KEPT;
  const settings = data.settings;
  if (isRecord(settings) && settings.job_events_kept !== undefined) {
    const kept = settings.job_events_kept;
    if (typeof kept !== 'number' || !Number.isInteger(kept) || kept < 1)
      diagnostics.push({
        path: ['settings', 'job_events_kept'],
        severity: 'error',
        message: 'job_events_kept must be an integer of at least 1',
      });
    else eventsKept = kept;
  }
  const jobs = new Map<string, JobConfig>();
  const section = data.jobs;
  if (section !== undefined && section !== null) {
    if (!isRecord(section))
      diagnostics.push({ path: ['jobs'], severity: 'error', message: 'jobs must be a mapping NAME: { task, schedule, params }' });
    else
      for (const [name, raw] of Object.entries(section)) {
        const job = readJob(name, raw, handlersRoot, context, diagnostics);
        if (job) jobs.set(name, job);
      }
  }
  return { diagnostics, value: { jobs, handlersRoot, eventsKept } };
}

/** The part's typed section: the agent hands `value` to JobsPart.applyConfig. */
export const jobsSection: ConfigSection<JobsConfig> = {
  name: 'jobs',
  keys: ['jobs', 'handlers'],
  read: readJobsConfig,
};
