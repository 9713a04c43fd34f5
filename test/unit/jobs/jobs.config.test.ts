/**
 * The jobs section through the real loader: each problem at its line and
 * column (unknown handler, bad rrule, cron, zone, start, params failing the
 * handler's schema, Canopsis' draft-3 `required: true`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { checkParams, liftDraft3Required } from '../../../agent/jobs/handlers/paramsValidation';
import { loadConfig } from '../../../agent/workspaceConfig';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const context: CheckContext = {
  workspace: '/ws',
  environment: {},
  host: 'host',
  readFile: (file) => (file === '/ws/handlers/mail.mjs' ? 'export {}' : null),
};

function problems(text: string): string[] {
  return diagnosticsOf(loadConfig({ file: 'taskwarden.yaml', text, context })).map(formatDiagnostic);
}

describe('the jobs section', () => {
  it('loads Canopsis-shaped jobs with the three schedule forms and a user handler', () => {
    const text = [
      'jobs:',
      '  nightly:',
      '    task: command',
      "    schedule: {rrule: 'FREQ=DAILY;BYHOUR=2', start: 1717200000}",
      '    params: {cmd: [/usr/lib/nagios/plugins/check_disk, -w, 20%]}',
      '  poll:',
      '    task: http',
      "    schedule: {cron: '*/5 * * * *', tz: Europe/Paris}",
      '    params: {url: http://127.0.0.1:8080/health, warn_ms: 200}',
      '  mail:',
      '    task: mail',
      '    schedule: {every: 1h, start: 2026-01-01T00:30}',
      '    time_limit: 5',
      '    catch_up: none',
      '',
    ].join('\n');
    assert.deepEqual(problems(text), []);
  });

  it('puts each problem at its line: handler, rrule, cron, zone, start, every are errors; params that fail their schema a warning (the job loads, its runs say Invalid job)', () => {
    const text = [
      'jobs:',
      '  a: {task: mystery}',
      "  b: {task: noop, schedule: {rrule: 'FREQ=SOMETIMES'}}",
      "  c: {task: noop, schedule: {cron: '61 * * * *'}}",
      "  d: {task: noop, schedule: {cron: '* * * * *', tz: Mars/Base}}",
      "  e: {task: noop, schedule: {rrule: 'FREQ=DAILY', start: yesterday}}",
      '  f: {task: noop, schedule: {every: soon}}',
      '  g:',
      '    task: command',
      '    params:',
      '      cmd: ls',
      '      shell: true',
      '',
    ].join('\n');
    assert.deepEqual(problems(text), [
      "taskwarden.yaml:2:13: error: unknown handler 'mystery': the built-in ones are command, http, queue, noop; a user handler is handlers/mystery.js, .mjs or .ts",
      "taskwarden.yaml:3:37: error: bad rrule 'FREQ=SOMETIMES': FREQ must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY (e.g. FREQ=DAILY;BYHOUR=6)",
      "taskwarden.yaml:4:36: error: bad cron '61 * * * *': Invalid value for minute: 61",
      "taskwarden.yaml:5:53: error: unknown time zone 'Mars/Base' (an IANA name such as Europe/Paris or UTC)",
      'taskwarden.yaml:6:58: error: start must be epoch seconds or an ISO time (2026-01-31T06:00, with Z or +01:00 for an instant)',
      "taskwarden.yaml:7:37: error: bad period \"soon\": write it like '30s', '5m', '1h30m', '500ms' or '1d'",
      'taskwarden.yaml:11:12: warning: jobs.g.params.cmd must be array',
      "taskwarden.yaml:12:7: warning: unknown key in jobs.g.params: 'shell'",
    ]);
  });

  it('refuses two schedule forms at once and an unknown job key', () => {
    assert.deepEqual(problems("jobs:\n  a: {task: noop, schedule: {every: 1m, cron: '* * * * *'}, retries: 3}\n"), [
      'taskwarden.yaml:2:29: error: schedule has cron and every: give only one',
      "taskwarden.yaml:2:61: error: unknown key in jobs.a: 'retries'",
    ]);
  });
});

describe("a handler's params schema", () => {
  it("lifts Canopsis' draft-3 required: true into draft 7's required list", () => {
    const taskfile = {
      type: 'object',
      properties: {
        path: { type: 'string', required: true, defaultValue: '~/tmp/x' },
        body: { type: 'string', role: 'textarea', required: true },
      },
    };
    assert.deepEqual((liftDraft3Required(taskfile) as { required: string[] }).required, ['path', 'body']);
    assert.deepEqual(
      checkParams(taskfile, { path: 7 }, ['params']).map((problem) => problem.message),
      ["params is missing required key 'body'", 'params.path must be string'],
    );
  });
});
