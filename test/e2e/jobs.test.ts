/**
 * The Jobs view in a real VS Code (code-server) in Chromium: a command job firing every 2 s whose
 * check events arrive under its row (with its perf data in the event's hover), a job that never ran
 * until Run Now from its row's inline button adds its event, the code lens above a job in
 * taskwarden.yaml ("next in … · last OK … | Run Now", counting down between runs), and a job's param
 * that fails its handler's schema shown in the Problems panel as it is typed. The other job's
 * first occurrence is 50 minutes away, so its only event is the one the test's click makes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  problemsPanelText,
  rowHoverText,
  runCommand,
  runCommandAndPick,
  screenshot,
  UI_TIMEOUT_MS,
  waitFor,
  type Workbench,
  CLI,
  openPartView,
  type PartView,
} from './harness';

/** Two jobs: `tick` every 2 s, and `manual` whose first occurrence is 50 minutes after the test starts. */
function config(manualStart: number): string {
  return [
    'jobs:',
    '  tick:',
    '    task: command',
    '    schedule: {every: 2s}',
    '    params:',
    `      cmd: [sh, -c, "echo 'tick ok | t=0.01s;1;2'"]`,
    '  manual:',
    '    task: command',
    `    schedule: {rrule: FREQ=DAILY, start: ${manualStart}}`,
    '    run_on_start: false',
    '    params:',
    '      cmd: [sh, -c, "echo manual ran"]',
    '',
  ].join('\n');
}

function jobsPane(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^Jobs$/ }) });
}

/** The rows of the Jobs tree whose label matches `label`. */
function row(page: Page, label: string | RegExp): Locator {
  return jobsPane(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) });
}

/** Event rows are labelled by their time. */
const EVENT_LABEL = /^\d\d:\d\d:\d\d$/;

/** The labels and descriptions of the tree's rows, top to bottom ("tick  next in 1s (…) · last OK 4 ms"). */
async function rowsShown(page: Page): Promise<string[]> {
  const rows = await jobsPane(page).locator('.monaco-list-row').all();
  const texts: string[] = [];
  for (const one of rows) {
    // The label and the description sit side by side with no space between them in innerText.
    const label = await one.locator('.label-name').first().innerText({ timeout: 2000 });
    const description = await one.locator('.label-description').first().innerText({ timeout: 2000 });
    texts.push(`${label} ${description}`.replace(/\s+/g, ' ').trim());
  }
  return texts;
}

/** The events listed under `job` (the rows between its row and the next job's). */
async function eventsUnder(page: Page, job: string): Promise<string[]> {
  const rows = await rowsShown(page);
  const start = rows.findIndex((text) => text.startsWith(`${job} `));
  if (start === -1) return [];
  const events: string[] = [];
  for (const text of rows.slice(start + 1)) {
    if (!EVENT_LABEL.test(text.split(' ')[0] ?? '')) break;
    events.push(text);
  }
  return events;
}

async function expand(page: Page, job: string): Promise<void> {
  const jobRow = row(page, new RegExp(`^${job}$`));
  if ((await jobRow.getAttribute('aria-expanded')) !== 'true') await jobRow.click();
  await waitFor(async () => (await jobRow.getAttribute('aria-expanded')) === 'true', { description: `${job} expanded` });
}

/** The text of every code lens line in the editor (several lenses of one line read "a | b"). */
async function lensLines(page: Page): Promise<string[]> {
  const texts = await page.locator('#workbench\\.parts\\.editor .monaco-editor .codelens-decoration').allInnerTexts();
  return texts.map((text) => text.replace(/\u00a0/g, ' ').trim());
}

/** Error notifications about the view: a refused row ("Element with id … is already registered") or a failed request. */
async function viewErrors(page: Page): Promise<string[]> {
  return page
    .locator('.notifications-toasts .notification-toast')
    .filter({ hasText: /already registered|Taskwarden could not/ })
    .allInnerTexts();
}

function cli(args: readonly string[], folder: string): string {
  const result = spawnSync(process.execPath, [CLI, '-w', folder, '--no-start', ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, `taskwarden ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describe('the Jobs view in VS Code', { timeout: 10 * 60_000 }, () => {
  let view: PartView | undefined;
  let workbench: Workbench | undefined;
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-jobs-')));
  const workspace = join(root, 'workspace');

  before(async () => {
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'taskwarden.yaml'), config(Math.floor(Date.now() / 1000) + 3000));
    // The Problems test needs an unsaved buffer: code-server saves on its own by default.
    view = await openPartView({
      root,
      workspace,
      view: 'Jobs',
      firstRow: (page) => row(page, /^tick$/),
      what: 'the tick row',
      listing: ['job', 'list'],
      userSettings: { 'files.autoSave': 'off' },
    });
    workbench = view.workbench;
  });

  after(async () => {
    await view?.end();
  });

  test('lists the jobs: the never-run one with no verdict, the 2 s one counting down to its next run', async () => {
    const page = workbench!.page;
    await waitFor(
      async () => /^tick next in \d+s .* · last OK/.test((await rowsShown(page)).find((text) => text.startsWith('tick ')) ?? ''),
      {
        timeoutMs: UI_TIMEOUT_MS,
        description: 'the tick row to count down to its next run after an OK',
      },
    );
    const rows = await rowsShown(page);
    assert.deepEqual(
      rows.map((text) => text.split(' ')[0]),
      ['tick', 'manual'],
      'config order',
    );
    const manual = rows.find((text) => text.startsWith('manual '));
    assert.match(manual ?? '', /^manual next in \d+m \d+s \(\d\d:\d\d\) · never run$/);
    assert.equal(
      await row(page, /^manual$/)
        .locator('.codicon-circle-large-outline')
        .count(),
      1,
      'never run: an empty circle',
    );
    // The 2 s job shows its running icon while a run is on: its last OK shows again between runs.
    await waitFor(
      async () =>
        (await row(page, /^tick$/)
          .locator('.codicon-pass')
          .count()) === 1,
      {
        timeoutMs: UI_TIMEOUT_MS,
        description: 'last OK: a pass icon on the tick row',
      },
    );
    await screenshot(page, 'jobs view: two jobs');
  });

  test('shows the check events of the 2 s job arriving under its row, with the perf data in the hover', async () => {
    const page = workbench!.page;
    await expand(page, 'tick');
    const first = await waitFor(
      async () => {
        const events = await eventsUnder(page, 'tick');
        return events.length > 0 && events;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'events under tick' },
    );
    assert.match(first[0]!, /^\d\d:\d\d:\d\d OK · tick ok · \d+ ms$/);
    // Newer events come in on top, without a click: the 2 s schedule keeps firing.
    await waitFor(
      async () => {
        const events = await eventsUnder(page, 'tick');
        return events.length > first.length && events[0] !== first[0];
      },
      { timeoutMs: UI_TIMEOUT_MS, description: `a newer event than "${first[0]}"` },
    );
    const newest = jobsPane(page)
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: EVENT_LABEL }) })
      .first();
    // The 2 s job's row is drawn again at each run (its events came): rowHoverText hovers again until a hover stays.
    const hover = await rowHoverText(page, newest, 'Performance data', 'the hover of the newest event of tick').catch(
      async (error: unknown) => {
        await screenshot(page, 'jobs view: no hover on the newest event of tick');
        throw error;
      },
    );
    assert.match(hover, /t=0\.01s;1;2/);
    assert.deepEqual(await viewErrors(page), [], 'no error while the rows moved');
    await screenshot(page, 'jobs view: events of tick, perf data in the hover');
  });

  test("Run Now on the never-run job's row runs it and adds its event", async () => {
    const page = workbench!.page;
    const manual = row(page, /^manual$/);
    await manual.hover();
    const buttons = await manual
      .locator('.actions .action-label')
      .evaluateAll((elements) =>
        elements.map((element) => (element as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-label')),
      );
    assert.deepEqual(buttons, ['Run Job Now', 'Show Job Output'], 'two inline buttons: the next action, then the output');
    await manual.getByRole('button', { name: 'Run Job Now' }).click();
    await waitFor(async () => /· last OK/.test((await rowsShown(page)).find((text) => text.startsWith('manual ')) ?? ''), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the manual row to say last OK',
    });
    await expand(page, 'manual');
    const events = await waitFor(
      async () => {
        const shown = await eventsUnder(page, 'manual');
        return shown.length > 0 && shown;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'the event under manual' },
    );
    assert.equal(events.length, 1);
    assert.match(events[0]!, /OK · manual ran · \d+ ms$/);
    // One JSON event per line.
    const stored = cli(['job', 'events', 'manual', '--json'], workspace)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { output: string });
    assert.deepEqual(
      stored.map((event) => event.output),
      ['manual ran'],
    );
    assert.deepEqual(await viewErrors(page), [], 'no error while the rows moved');
    await screenshot(page, 'jobs view: manual run from the row');
  });

  test("Show Job Output on a job's row shows its last run's output in an output channel", async () => {
    const page = workbench!.page;
    const manual = row(page, /^manual$/);
    await manual.hover();
    await manual.getByRole('button', { name: 'Show Job Output' }).click();
    await waitFor(
      async () => {
        const text = await page.locator('.part.panel .monaco-editor .view-lines').first().innerText({ timeout: 2000 });
        return text.replace(/\u00a0/g, ' ').includes('manual ran');
      },
      { timeoutMs: UI_TIMEOUT_MS, description: "the manual job's output in the output channel" },
    );
    await screenshot(page, 'job output channel');
  });

  test('the code lens above each job says its countdown and last verdict, with Run Now, and counts down', async () => {
    const page = workbench!.page;
    await runCommand(page, 'Taskwarden: Open Config');
    // Each line: the $(watch) icon (no text), the job's summary, then Run Now; the 2 s job may be running.
    const lens = /^next in .+ \(.+\) · last OK \d+ ms \| Run Now$/;
    const lines = await waitFor(
      async () => {
        const shown = await lensLines(page);
        return shown.length === 2 && shown.every((line) => lens.test(line)) && shown;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: `a lens line "${lens.source}" above each of the two jobs` },
    );
    // The manual job's countdown moves between its runs (the lens clock asks the agent again).
    const manualLine = (shown: readonly string[]): string => shown.find((line) => /next in \d+m \d+s/.test(line)) ?? '';
    const before = manualLine(lines);
    assert.notEqual(before, '', `the manual job's lens in ${lines.join(' / ')}`);
    await waitFor(async () => manualLine(await lensLines(page)) !== before, {
      timeoutMs: UI_TIMEOUT_MS,
      description: `the manual job's lens to count down from "${before}"`,
    });
    await screenshot(page, 'code lenses above the jobs');
  });

  test("shows a param that fails its handler's schema in the Problems panel as it is typed", async () => {
    const page = workbench!.page;
    await runCommand(page, 'Taskwarden: Open Config');
    const editor = page.locator('#workbench\\.parts\\.editor .monaco-editor').filter({ hasText: 'run_on_start' });
    await editor.locator('.view-lines').first().click();
    await page.keyboard.press('Control+End');
    // One line, flow style: the editor's auto-indent cannot shift it.
    await page.keyboard.type('  typo: {task: command, params: {cmd: 42}}');
    await waitFor(async () => (await editor.first().innerText()).includes('typo'), { description: 'the typed line in the editor' });
    const problem = 'jobs.typo.params.cmd must be array';
    const rows = await waitFor(
      async () => {
        const text = await problemsPanelText(page);
        return text.some((line) => line.includes(problem)) && text;
      },
      { timeoutMs: 60_000, description: 'the Problems panel to show the bad param' },
    );
    assert.ok(
      rows.some((line) => line.includes(problem) && line.includes('[Ln 13,')),
      `rows: ${rows.join(' | ')}`,
    );
    assert.doesNotMatch(readFileSync(join(workspace, 'taskwarden.yaml'), 'utf8'), /typo/, 'the file on disk was not saved');
    await screenshot(page, 'jobs: bad param in Problems while typing');
  });

  test('pages the events: "Show more…" once a page is full, one page more on a click', async () => {
    const page = workbench!.page;
    // The 2 s job has stored more than a page (10) after 22 s.
    await expand(page, 'tick');
    const more = row(page, /^Show more…$/);
    await more.waitFor({ state: 'visible', timeout: 2 * UI_TIMEOUT_MS });
    assert.equal((await eventsUnder(page, 'tick')).length, 10);
    const morePages = async (timeoutMs: number): Promise<boolean> =>
      waitFor(async () => (await eventsUnder(page, 'tick')).length > 10, {
        timeoutMs,
        description: 'more than a page of events under tick',
      })
        .then(() => true)
        .catch(() => false);
    await more.click();
    if (!(await morePages(5000))) {
      // The tick job's row is refreshed each second (its countdown), and VS Code fetches its child rows
      // again each time: a click that lands in that moment can be lost (seen once in five full runs).
      // A user clicks again; so does the test, once, and keeps a screenshot of the lost click.
      await screenshot(page, 'jobs view: a click on Show more lost, clicking again');
      await more.click();
      assert.ok(await morePages(UI_TIMEOUT_MS), 'a second page of events under tick after a second click');
    }
    const stored = cli(['job', 'events', 'tick', '--json', '--limit', '20'], workspace).trim().split('\n').length;
    assert.ok((await eventsUnder(page, 'tick')).length <= Math.min(20, stored + 1), 'at most two pages, none invented');
    assert.deepEqual(await viewErrors(page), []);
    await screenshot(page, 'jobs view: two pages of events');
  });

  test('the palette pauses and resumes a job it asks for', async () => {
    const page = workbench!.page;
    const tickRow = async (): Promise<string> => (await rowsShown(page)).find((text) => text.startsWith('tick ')) ?? '';
    await runCommandAndPick(page, 'Taskwarden: Pause Job', 'Job', 'tick');
    await waitFor(async () => /^tick paused · last OK/.test(await tickRow()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'tick to say paused',
    });
    const paused = JSON.parse(cli(['job', 'list', '--json'], workspace)) as { name: string; paused: boolean }[];
    assert.equal(paused.find((job) => job.name === 'tick')?.paused, true);
    const buttons = row(page, /^tick$/);
    await buttons.hover();
    await buttons.getByRole('button', { name: 'Resume Job' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await screenshot(page, 'jobs view: tick paused from the palette');
    await runCommandAndPick(page, 'Taskwarden: Resume Job', 'Job', 'tick');
    await waitFor(async () => /^tick (next in|running)/.test(await tickRow()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'tick to count down again',
    });
  });

  test('runs a user job handler from the installed extension (its runner ships in the .vsix)', async () => {
    const page = workbench!.page;
    mkdirSync(join(workspace, 'handlers'), { recursive: true });
    writeFileSync(
      join(workspace, 'handlers', 'greet.js'),
      'module.exports = { handle: (job) => ({ state: 0, output: `hello ${job.params.who}` }) };\n',
    );
    // On disk: the agent applies it (the editor's buffer is not the applied config).
    writeFileSync(join(workspace, 'taskwarden.yaml'), 'jobs:\n  greet: {task: greet, params: {who: vscode}}\n');
    await row(page, /^greet$/).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    // The agent VS Code started runs from the installed extension: so does the handler's runner process.
    const event = JSON.parse(cli(['job', 'run', 'greet', '--json'], workspace)) as { state: number; output: string };
    assert.deepEqual([event.state, event.output], [0, 'hello vscode']);
    await waitFor(
      async () =>
        (await row(page, /^greet$/)
          .locator('.codicon-pass')
          .count()) === 1,
      { timeoutMs: UI_TIMEOUT_MS, description: 'a pass icon on the greet row' },
    );
    await screenshot(page, 'jobs view: a user handler ran');
  });

  test('says how to declare jobs once the config has none left', async () => {
    const page = workbench!.page;
    // On disk (the editor's unsaved buffer is not the applied config): the agent applies it and drops both jobs.
    writeFileSync(join(workspace, 'taskwarden.yaml'), 'jobs: {}\n');
    await jobsPane(page).getByText('No jobs yet.').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(await jobsPane(page).locator('.monaco-list-row').count(), 0);
    await screenshot(page, 'jobs view: no jobs, the welcome text');
  });
});
