/**
 * The words and menus of the Jobs view's rows: a job's description reads like
 * its code lens, an event's row and hover (perf data included), and the
 * inline actions package.json offers for each state of a job (at most two:
 * the likely next action, then Show Output).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { JOB_LENS_COMMANDS } from '../../../agent/jobs/languageContribution';
import { checkStateLook, jobLook } from '../../../agent/jobs/protocol';
import { eventDescription, eventHoverLines, eventTime, jobContext, jobDescription, jobHoverLines } from '../../../extension/jobs/jobFormat';
import { checkEvent, job } from './jobFixtures';

const NOW = 1_000_000;

interface Menu {
  readonly command: string;
  readonly when?: string;
  readonly group?: string;
}

function jobMenus(): Menu[] {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
    contributes: { menus: Record<string, Menu[]> };
  };
  return pkg.contributes.menus['view/item/context']!.filter((menu) => menu.when?.startsWith('view == taskwarden.jobs '));
}

/** The commands offered on a row with this context value: inline in order, and in the context menu. */
function offered(value: string): { inline: string[]; menu: string[] } {
  const inline: [string, string][] = [];
  const menu: string[] = [];
  for (const entry of jobMenus()) {
    const pattern = /viewItem =~ \/(.+)\/$/.exec(entry.when ?? '')?.[1];
    assert.ok(pattern, `a viewItem pattern in ${entry.when}`);
    if (!new RegExp(pattern).test(value)) continue;
    if (entry.group?.startsWith('inline')) inline.push([entry.group, entry.command]);
    else menu.push(entry.command);
  }
  return { inline: inline.sort((a, b) => a[0].localeCompare(b[0])).map(([, command]) => command), menu: menu.sort() };
}

describe('the Jobs view rows', () => {
  test("a job's description is its lens text: countdown and last verdict", () => {
    assert.match(jobDescription(job(), NOW), /^next in 30s \(\d\d:\d\d:\d\d\) · last OK 12 ms$/);
    assert.match(jobDescription(job({ paused: true }), NOW), /^paused · last OK 12 ms$/);
    assert.match(jobDescription(job({ last: null }), NOW), /· never run$/);
    assert.match(jobDescription(job({ runningSince: NOW - 3000 }), NOW), /^running for 3s/);
    assert.match(jobDescription(job({ skipped: 2 }), NOW), /· 2 skipped$/);
  });

  test("an expanded job's description does not move each second: the next run's time, not a countdown", () => {
    const calm = (at: number, changes = {}): string => jobDescription(job(changes), at, false);
    assert.match(calm(NOW), /^next at \d\d:\d\d:\d\d · last OK 12 ms$/);
    assert.equal(calm(NOW + 1000), calm(NOW));
    assert.equal(calm(NOW, { runningSince: NOW - 3000 }), 'running · last OK 12 ms');
    assert.equal(calm(NOW + 5000, { runningSince: NOW - 3000 }), 'running · last OK 12 ms');
    assert.match(calm(NOW, { paused: true }), /^paused · /);
  });

  test('a job looks like its last verdict, a spinner while it runs, an empty circle before its first run', () => {
    assert.deepEqual(
      ([0, 1, 2, 3] as const).map((state) => jobLook(job({ last: checkEvent({ state }) }))),
      ([0, 1, 2, 3] as const).map((state) => checkStateLook(state)),
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((state) => checkStateLook(state as 0).label),
      ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'],
    );
    assert.equal(new Set([0, 1, 2, 3, null].map((state) => checkStateLook(state as 0).color)).size, 4, 'UNKNOWN and never run share grey');
    assert.equal(jobLook(job({ last: null })).icon, 'circle-large-outline');
    assert.equal(jobLook(job({ runningSince: NOW })).icon, 'loading~spin');
  });

  test("an event's row: time, state, first output line, duration; the hover has the whole output and the perf data", () => {
    const event = checkEvent({
      timestamp: NOW / 1000,
      state: 1,
      output: 'DISK WARNING - 9% free\nsecond line',
      execution_time: 1.44,
      perf_data: [
        { label: '/', value: 2048, uom: 'MB', warn: '1000:', crit: '500:', min: 0, max: 4096 },
        { label: 'inodes', value: null, uom: '', warn: null, crit: null, min: null, max: null },
      ],
    });
    assert.match(eventTime(event, NOW), /^\d\d:\d\d:\d\d$/);
    assert.match(eventTime(event, NOW + 3 * 86_400_000), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(eventDescription(event), 'WARNING · DISK WARNING - 9% free · 1.4 s');
    const hover = eventHoverLines(event).join('\n');
    assert.match(hover, /\*\*disk\*\* WARNING in 1\.4 s \(handler `command`\)/);
    assert.match(hover, /second line/);
    assert.match(hover, /- `\/=2048MB;1000:;500:;0;4096`/);
    assert.match(hover, /- `inodes=U`/);
    assert.equal(eventDescription(checkEvent({ output: '', state: 3 })), 'UNKNOWN · 12 ms');
  });

  test("a job's hover names its handler, schedule, last output and skipped runs", () => {
    const hover = jobHoverLines(job({ skipped: 3, configured: false }), NOW).join('\n');
    assert.match(hover, /\*\*disk\*\* — handler `command`, every 30s/);
    assert.match(hover, /DISK OK - 42% free/);
    assert.match(hover, /3 occurrences skipped/);
    assert.match(hover, /no longer in taskwarden.yaml/);
  });

  test('the commands the code lenses name are contributed (and registered by jobCommands.ts)', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    const contributed = new Set(pkg.contributes.commands.map((entry) => entry.command));
    const registered = readFileSync(join(import.meta.dirname, '../../../extension/jobs/jobCommands.ts'), 'utf8');
    for (const command of Object.values(JOB_LENS_COMMANDS)) {
      assert.ok(contributed.has(command), `${command} in package.json`);
      assert.ok(registered.includes(`'${command}'`), `${command} registered`);
    }
  });

  test('offers at most two inline actions: the likely next one, then Show Output; the rest in the context menu', () => {
    const cases: [Parameters<typeof job>[0], string[], string[]][] = [
      [
        {},
        ['taskwarden.runJob', 'taskwarden.showJobOutput'],
        ['taskwarden.pauseJob', 'taskwarden.runJob', 'taskwarden.showJobOutput', 'taskwarden.showJobOutputInTerminal'],
      ],
      [
        { paused: true },
        ['taskwarden.resumeJob', 'taskwarden.showJobOutput'],
        ['taskwarden.resumeJob', 'taskwarden.runJob', 'taskwarden.showJobOutput', 'taskwarden.showJobOutputInTerminal'],
      ],
      // Running: nothing to do first, Show Output in its place (second, as on every row).
      [
        { runningSince: NOW },
        ['taskwarden.showJobOutput'],
        ['taskwarden.pauseJob', 'taskwarden.showJobOutput', 'taskwarden.showJobOutputInTerminal'],
      ],
      [
        { runningSince: NOW, paused: true },
        ['taskwarden.resumeJob', 'taskwarden.showJobOutput'],
        ['taskwarden.resumeJob', 'taskwarden.showJobOutput', 'taskwarden.showJobOutputInTerminal'],
      ],
      [{ handler: 'http' }, ['taskwarden.runJob'], ['taskwarden.pauseJob', 'taskwarden.runJob']],
    ];
    for (const [fields, inline, menu] of cases) {
      const value = jobContext(job(fields));
      assert.deepEqual(offered(value), { inline, menu }, value);
    }
  });
});
