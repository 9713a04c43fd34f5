/**
 * The code lens above each job ("next in 4m (14:05) · last OK 12 ms", Run Now)
 * and the hover on its schedule (the next five occurrences).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobLanguageContribution } from '../../../agent/jobs/languageContribution';
import { compileSchedule, type Schedule } from '../../../agent/jobs/schedule/schedule';
import type { JobSummary } from '../../../agent/jobs/protocol';

const now = new Date(2026, 5, 5, 14, 1, 0).getTime();
const every = compileSchedule({ kind: 'every', everyMs: 300_000 });
const schedule = (every.ok ? every.value : null) as Schedule;

const summary: JobSummary = {
  name: 'disk',
  handler: 'command',
  schedule: schedule.spec,
  scheduleText: schedule.text,
  enabled: true,
  paused: false,
  nextRun: new Date(2026, 5, 5, 14, 5, 0).getTime(),
  runningSince: null,
  last: {
    timestamp: now / 1000 - 60,
    connector: 'taskwarden',
    connector_name: 'command',
    event_type: 'check',
    source_type: 'resource',
    component: 'job',
    resource: 'disk',
    state: 0,
    state_type: 1,
    output: 'DISK OK',
    execution_time: 0.012,
  },
  skipped: 0,
  configured: true,
};

const text = ['tasks: {}', 'jobs:', '  disk:', '    task: command', '    schedule:', '      every: 5m', '  other: {task: noop}', ''].join(
  '\n',
);
const contribution = jobLanguageContribution(
  (name) => (name === 'disk' ? { summary, schedule } : null),
  () => now,
  () => '/nonexistent/handlers',
);

describe('the jobs language contribution', () => {
  it('puts the next run, the last verdict and Run Now above each job, "not applied" above one the agent does not run', () => {
    const lenses = contribution
      .codeLenses(text)
      .map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, lens.command?.arguments]);
    assert.deepEqual(lenses, [
      [2, '$(watch) next in 4m (14:05) · last OK 12 ms', '', undefined],
      [2, 'Run Now', 'taskwarden.runJob', ['disk']],
      [6, '$(circle-slash) not applied', '', undefined],
    ]);
  });

  it('shows the next five occurrences when hovering the schedule, and nothing elsewhere', () => {
    const hover = contribution.hover(text, 5, 8);
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, /\*\*disk\*\*: every 5 m/);
    assert.equal(value.split('\n').filter((line) => line.startsWith('- ')).length, 5);
    assert.match(value, /\(14:05\)/);
    assert.equal(contribution.hover(text, 3, 6), null);
  });
});
