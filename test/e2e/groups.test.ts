/**
 * The Process Groups view in a real VS Code (code-server) in Chromium: a group of two tasklets with
 * params, shown with its tasklets in run order, a ticking countdown and a Params node whose values
 * change after a round; Run Round Now from the group row's inline button (the rounds counter
 * moves); Show Output with the tasklets' log lines; the code lens above a tasklet's `main`; and a
 * tasklet file without `main` reported in Problems. The interval is an hour, so after the first
 * round only the test's own clicks run rounds, and each step's counts are exact relative to the
 * last.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { problemsPanelText, screenshot, UI_TIMEOUT_MS, waitFor, type Workbench, CLI, openPartView, type PartView } from './harness';

const CONFIG = 'groups:\n  root: processhandler\n  interval: 3600\n';

/** Runs first (priority 10 from its name): counts rounds in params and logs the count. */
const COUNTER = `export async function main(params, ctx) {
  params.count = (params.count ?? 0) + 1;
  ctx.log('counted ' + params.count);
}
`;

/** Runs second (priority 5): sees what the counter set, and stamps the round. */
const STAMPER = `export const description = 'stamps the round';

export function main(params, ctx) {
  params.stamp = 'round ' + ctx.round + ' saw count ' + params.count;
  ctx.log('stamped ' + params.stamp);
}
`;

const PARAMS = 'count: 0\nlabel: demo\n';

function cli(args: readonly string[], folder: string): string {
  const result = spawnSync(process.execPath, [CLI, '-w', folder, '--no-start', ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, `taskwarden ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function groupsPane(page: Page): Locator {
  return page
    .locator('#workbench\\.parts\\.sidebar .pane')
    .filter({ has: page.locator('.pane-header h3.title', { hasText: /^Process Groups$/ }) });
}

/** The row of the Process Groups tree whose label matches `label`. */
function row(page: Page, label: string | RegExp): Locator {
  return groupsPane(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) });
}

/** The labels of the tree's rows, top to bottom. */
async function labels(page: Page): Promise<string[]> {
  return groupsPane(page).locator('.monaco-list-row .label-name').allInnerTexts();
}

async function outputLines(page: Page): Promise<string[]> {
  const text = await page.locator('.part.panel .monaco-editor .view-lines').first().innerText({ timeout: 2000 });
  return text.split('\n').map((line) => line.replace(/\u00a0/g, ' '));
}

function lensLine(page: Page, text: string | RegExp): Locator {
  return page.locator('.monaco-editor .codelens-decoration').filter({ hasText: text });
}

/** The group's clock row: its countdown, rounds and uptime ("next round in 59m 58s  2 rounds · up 3s · every 1h"). */
function clockRow(page: Page): Locator {
  return row(page, /^(next round in |round \d+ running|round due|no rounds)/);
}

/** The rounds count the group's clock row shows. */
async function roundsShown(page: Page): Promise<number | null> {
  const text = await clockRow(page).innerText({ timeout: 2000 });
  const match = /(\d+) rounds?\b/.exec(text);
  return match ? Number(match[1]) : null;
}

/** The page's window, as far as this file needs it (the e2e tests compile without the DOM types). */
interface PageWindow {
  getComputedStyle(element: unknown): { readonly color: string };
}

/** Run in the page on an element: its computed text color, `rgb(r, g, b)`. */
function computedColor(element: unknown): string {
  return (globalThis as unknown as PageWindow).getComputedStyle(element).color;
}

/** The value a param row shows (its description), or null when the row is not there. */
async function paramShown(page: Page, key: string): Promise<string | null> {
  const found = row(page, new RegExp(`^${key}$`));
  if ((await found.count()) === 0) return null;
  return (await found.locator('.label-description').first().innerText({ timeout: 2000 })).trim();
}

describe('the Process Groups view in VS Code', { timeout: 10 * 60_000 }, () => {
  let view: PartView | undefined;
  let workbench: Workbench | undefined;
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-groups-')));
  const workspace = join(root, 'workspace');
  const group = join(workspace, 'processhandler', 'demo');

  before(async () => {
    mkdirSync(group, { recursive: true });
    writeFileSync(join(workspace, 'taskwarden.yaml'), CONFIG);
    writeFileSync(join(group, '10_count.js'), COUNTER);
    writeFileSync(join(group, '5_stamp.mjs'), STAMPER);
    writeFileSync(join(group, 'params.yaml'), PARAMS);
    view = await openPartView({
      root,
      workspace,
      view: 'Process Groups',
      firstRow: (page) => row(page, /^demo$/),
      what: 'the demo row',
      listing: ['group', 'list'],
    });
    workbench = view.workbench;
  });

  after(async () => {
    await view?.end();
  });

  test('shows the group with its tasklets in run order, its live params and a ticking countdown', async () => {
    const page = workbench!.page;
    await waitFor(async () => ((await roundsShown(page)) ?? 0) >= 1, { timeoutMs: UI_TIMEOUT_MS, description: 'the first round' });
    assert.match(await row(page, /^demo$/).innerText(), /running/);
    await waitFor(
      async () => {
        const shown = await labels(page);
        const order = shown.filter((label) => ['10_count.js', '5_stamp.mjs', 'Params'].includes(label));
        return order.join(',') === '10_count.js,5_stamp.mjs,Params';
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'the tasklets in priority order, then Params' },
    );
    const params = row(page, /^Params$/);
    if ((await params.getAttribute('aria-expanded')) !== 'true') await params.click();
    await row(page, /^label$/).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.match(await row(page, /^label$/).innerText(), /demo/);
    // What the view shows is what the agent holds.
    const held = JSON.parse(cli(['group', 'params', 'demo', '--json'], workspace)) as { count: number };
    await waitFor(async () => (await paramShown(page, 'count')) === String(held.count), {
      timeoutMs: UI_TIMEOUT_MS,
      description: `the count param to read ${held.count}, as the agent holds it`,
    });
    // The countdown ticks: its text moves within a few seconds, without any round.
    const rounds = await roundsShown(page);
    const countdown = await clockRow(page).innerText();
    assert.match(countdown, /next round in/);
    await waitFor(async () => (await clockRow(page).innerText()) !== countdown, {
      timeoutMs: 10_000,
      description: 'the countdown to tick',
    });
    assert.equal(await roundsShown(page), rounds, 'no round ran meanwhile');
    await screenshot(page, 'groups view: group, clock, tasklets in run order, params');
  });

  test('Run Round Now from the group row runs a round: the rounds count and the params move', async () => {
    const page = workbench!.page;
    const rounds = (await roundsShown(page)) ?? 0;
    const count = Number(await paramShown(page, 'count'));
    const demo = row(page, /^demo$/);
    await demo.hover();
    await demo.getByRole('button', { name: 'Run Round Now' }).click();
    await waitFor(async () => (await roundsShown(page)) === rounds + 1, {
      timeoutMs: UI_TIMEOUT_MS,
      description: `the group to count ${rounds + 1} rounds`,
    });
    await waitFor(async () => (await paramShown(page, 'count')) === String(count + 1), {
      timeoutMs: UI_TIMEOUT_MS,
      description: `the count param to move from ${count} to ${count + 1}`,
    });
    await waitFor(async () => (await paramShown(page, 'stamp')) === `round ${rounds + 1} saw count ${count + 1}`, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the stamp param, set by the second tasklet from what the first set this round',
    });
    await waitFor(async () => /ran/.test(await row(page, /^10_count\.js$/).innerText()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the counter tasklet to say it ran',
    });
    const held = JSON.parse(cli(['group', 'params', 'demo', '--json'], workspace)) as { count: number };
    assert.equal(held.count, count + 1, 'the agent holds the params the view shows');
    await screenshot(page, 'groups view: after Run Round Now');
  });

  test("Show Output shows the tasklets' log lines", async () => {
    const page = workbench!.page;
    const demo = row(page, /^demo$/);
    await demo.hover();
    await demo.getByRole('button', { name: 'Show Group Output' }).click();
    await waitFor(
      async () => {
        const lines = await outputLines(page);
        return (
          lines.some((line) => /\[10_count\.js\] counted \d+/.test(line)) &&
          lines.some((line) => /\[5_stamp\.mjs\] stamped round \d+/.test(line))
        );
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'the tasklet log lines in the output channel' },
    );
    // A round run now streams its lines into the open channel.
    const next = Number(await paramShown(page, 'count')) + 1;
    await demo.hover();
    await demo.getByRole('button', { name: 'Run Round Now' }).click();
    await waitFor(async () => (await outputLines(page)).some((line) => line.includes(`counted ${next}`)), {
      timeoutMs: UI_TIMEOUT_MS,
      description: `the next round's "counted ${next}" to stream in`,
    });
    await screenshot(page, 'group output channel');
  });

  test("a tasklet's file shows a code lens above main with its last run", async () => {
    const page = workbench!.page;
    await row(page, /^10_count\.js$/).click();
    await page.locator('.tab', { hasText: '10_count.js' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await lensLine(page, /last run/)
      .first()
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const before = await lensLine(page, /last run/)
      .first()
      .innerText();
    assert.match(before, /ok \(demo\)/);
    // The lens's own Run Round Now runs a round, and the lens moves with it.
    const rounds = (await roundsShown(page)) ?? 0;
    await lensLine(page, /last run/)
      .first()
      .locator('a', { hasText: /^Run Round Now$/ })
      .click();
    await waitFor(async () => (await roundsShown(page)) === rounds + 1, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the lens to run a round',
    });
    await waitFor(
      async () =>
        (await lensLine(page, /last run/)
          .first()
          .innerText()) !== before,
      {
        timeoutMs: UI_TIMEOUT_MS,
        description: `the lens to move on from "${before}"`,
      },
    );
    await screenshot(page, 'tasklet code lens above main');
  });

  test("a failing tasklet's row says its error, in red, and the round goes on", async () => {
    const page = workbench!.page;
    writeFileSync(join(group, '7_fail.js'), "export function main() {\n  throw new Error('boom from the test');\n}\n");
    await row(page, /^7_fail\.js$/).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const count = Number(await paramShown(page, 'count'));
    const demo = row(page, /^demo$/);
    await demo.hover();
    await demo.getByRole('button', { name: 'Run Round Now' }).click();
    await waitFor(async () => /failed.*boom from the test/.test(await row(page, /^7_fail\.js$/).innerText()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the failing tasklet to show its error',
    });
    await waitFor(async () => (await paramShown(page, 'count')) === String(count + 1), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the tasklet before it to have run',
    });
    await waitFor(
      async () =>
        /^ran/.test(
          (
            await row(page, /^5_stamp\.mjs$/)
              .locator('.label-description')
              .innerText()
          ).trim(),
        ),
      {
        timeoutMs: UI_TIMEOUT_MS,
        description: 'the tasklet after it to have run too',
      },
    );
    // The color comes from a file decoration, which the window asks the extension for after the row drew.
    const isRed = (color: string): boolean => {
      const [red = 0, green = 0, blue = 0] = (color.match(/\d+/g) ?? []).map(Number);
      return red > 150 && red > green + 60 && red > blue + 60;
    };
    const nameColor = (label: RegExp): Promise<string> => row(page, label).locator('.label-name').first().evaluate(computedColor);
    await waitFor(async () => isRed(await nameColor(/^7_fail\.js$/)), {
      timeoutMs: UI_TIMEOUT_MS,
      description: "the failed tasklet's name to turn red",
    });
    assert.ok(!isRed(await nameColor(/^10_count\.js$/)), 'a tasklet that ran is not red');
    await screenshot(page, 'groups view: a failed tasklet in red');
    rmSync(join(group, '7_fail.js'));
    await row(page, /^7_fail\.js$/).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  });

  test('a tasklet without main shows a diagnostic on its file, and the others go on', async () => {
    const page = workbench!.page;
    writeFileSync(join(group, '7_broken.js'), 'export const priority = 7;\nexport function mian(params) {}\n');
    const rows = await waitFor(
      async () => {
        const text = await problemsPanelText(page);
        return text.some((line) => line.includes('7_broken.js')) && text.some((line) => /\bmain\b/.test(line)) && text;
      },
      { timeoutMs: 60_000, description: 'the Problems panel to report the missing main' },
    );
    assert.ok(
      rows.some((line) => /main/.test(line)),
      `rows: ${rows.join(' | ')}`,
    );
    const before = (await roundsShown(page)) ?? 0;
    const demo = row(page, /^demo$/);
    await demo.hover();
    await demo.getByRole('button', { name: 'Run Round Now' }).click();
    await waitFor(async () => (await roundsShown(page)) === before + 1, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'a round to run with the broken file skipped',
    });
    await screenshot(page, 'problems: tasklet without main');
    rmSync(join(group, '7_broken.js'));
    await waitFor(async () => !(await problemsPanelText(page)).some((line) => line.includes('7_broken.js')), {
      timeoutMs: 60_000,
      description: 'the problem to go once the file is gone',
    });
  });

  test('a params file that does not parse shows at its line in Problems; the last good params stay', async () => {
    const page = workbench!.page;
    const count = await paramShown(page, 'count');
    writeFileSync(join(group, 'params.yaml'), 'count: 0\nlabel: [demo\n');
    const rows = await waitFor(
      async () => {
        const text = await problemsPanelText(page);
        return text.some((line) => line.startsWith('params.yaml')) && text;
      },
      { timeoutMs: 60_000, description: 'the Problems panel to report params.yaml' },
    );
    assert.ok(
      rows.some((line) => /\[Ln \d+, Col \d+\]/.test(line) && /taskwarden groups/.test(line)),
      `rows: ${rows.join(' | ')}`,
    );
    assert.equal(await paramShown(page, 'count'), count, 'the last good params stay');
    await screenshot(page, 'problems: params.yaml does not parse');
    writeFileSync(join(group, 'params.yaml'), PARAMS);
    await waitFor(async () => !(await problemsPanelText(page)).some((line) => line.startsWith('params.yaml')), {
      timeoutMs: 60_000,
      description: 'the params problem to go once the file is fixed',
    });
  });
});
