/**
 * A calm tree in a real VS Code (code-server) in Chromium, as a new user meets it: the getting-started
 * walkthrough writes taskwarden.yaml from its template (and never overwrites it); a daemon with one
 * instance is one row; a row shows two inline actions, the likely next one first and Show Output
 * second, and the Show Output button stays where it was when the row changes state; Stop asks
 * first; the view's title action orders the rows by name, by state and by config again; and "Show
 * Daemon Output in Terminal" renders the process's ANSI colors in a terminal, each line at the start
 * of its row; and the view's order is remembered across a window reload.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { ListDaemonsResult } from '../../agent/daemons/protocol';
import { CONFIG_TEMPLATE } from '../../extension/shared/configTemplate';
import {
  chooseFromContextMenu,
  confirmDialog,
  inlineActionTitles,
  openCommandPalette,
  openViewContainer,
  openWorkbench,
  runCommand,
  screenshot,
  showOnlyView,
  startVsCode,
  UI_TIMEOUT_MS,
  waitFor,
  type VsCodeServer,
  type Workbench,
  CLI,
  VSIX,
} from './harness';

const ORDER_ACTION = 'Change Order of Daemons (Config, Name, State)';

/** Config order zulu, alpha, painter, broken; by name alpha, broken, painter, zulu; by state broken (failed), zulu, painter (running), alpha (off). */
const CONFIG = `tasks:
  zulu:
    count: 2
    commands:
      start: [/bin/sh, -c, 'while :; do echo zz; sleep 1; done']
  alpha:
    control: off
    commands:
      start: [/bin/sleep, '1000']
  painter:
    commands:
      start: [/bin/sh, -c, 'i=0; while :; do i=$((i+1)); printf "\\033[31mred alert %s\\033[0m in /etc/hostname\\n" $i; sleep 0.3; done']
  broken:
    control: once
    commands:
      start: [/bin/sh, -c, 'exit 3']
`;

function ps(folder: string): ListDaemonsResult {
  const result = spawnSync(process.execPath, [CLI, 'ps', '--json', '--no-start', '-w', folder], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskwarden ps failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ListDaemonsResult;
}

function taskRow(page: Page, name: string): Locator {
  return page.getByRole('treeitem', { name: new RegExp(`^daemon ${name}: `) });
}

async function rowDescription(row: Locator): Promise<string> {
  const label = (await row.getAttribute('aria-label', { timeout: 2000 })) ?? '';
  return label.slice(label.indexOf(': ') + 2);
}

/** The top rows of the Daemons view in the order shown (by their place in the list, not in the DOM). */
async function daemonNames(page: Page): Promise<string[]> {
  const rows = page.getByRole('treeitem', { name: /^daemon \S+: / });
  const seen: { name: string; top: number }[] = [];
  for (const row of await rows.all()) {
    const label = (await row.getAttribute('aria-label', { timeout: 2000 })) ?? '';
    const box = await row.boundingBox();
    if (box) seen.push({ name: /^daemon (\S+):/.exec(label)?.[1] ?? label, top: box.y });
  }
  return seen.sort((a, b) => a.top - b.top).map((row) => row.name);
}

/** Waits until the Daemons view shows its top rows in `expected` order. */
async function namesAre(page: Page, expected: string[]): Promise<void> {
  let last: string[] = [];
  await waitFor(
    async () => {
      last = await daemonNames(page);
      return last.join(' ') === expected.join(' ');
    },
    { timeoutMs: UI_TIMEOUT_MS, description: `the rows in the order ${expected.join(', ')}` },
  ).catch(() => assert.deepEqual(last, expected));
}

/** What the Daemons view's title line says after its name ("by name"), or '' for none. */
async function viewDescription(page: Page): Promise<string> {
  const header = page.locator('.pane-header', { has: page.locator('h3.title', { hasText: /^Daemons$/ }) });
  const description = header.locator('.description');
  return (await description.count()) > 0 ? ((await description.first().textContent()) ?? '').trim() : '';
}

/** "Open Walkthrough…" from the palette (its title and category differ between VS Code versions), then the walkthrough `title`. */
async function openWalkthrough(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = await openCommandPalette(page);
  await input.fill('>Open Walkthrough');
  await widget
    .getByRole('option', { name: /Open Walkthrough/ })
    .first()
    .click({ timeout: UI_TIMEOUT_MS });
  await widget
    .getByRole('option', { name: new RegExp(title) })
    .first()
    .click({ timeout: UI_TIMEOUT_MS });
}

describe('a calm tree in VS Code', { timeout: 15 * 60_000 }, () => {
  let vscode: VsCodeServer | undefined;
  let workbench: Workbench | undefined;
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-calm-')));
  const configFile = join(folder, 'taskwarden.yaml');

  function page(): Page {
    assert.ok(workbench, 'the workbench opened in before()');
    return workbench.page;
  }

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package`);
    vscode = await startVsCode({
      vsixPath: VSIX,
      userSettings: {
        'files.autoSave': 'off',
        // The title actions of a view without the pointer on it, and a terminal drawn in the DOM (its colors readable).
        'workbench.view.alwaysShowHeaderActions': true,
        'terminal.integrated.gpuAcceleration': 'off',
      },
    });
    // An empty folder: the extension wakes up with the walkthrough's command.
    workbench = await openWorkbench(vscode, folder, { trust: true });
  });

  after(async () => {
    await workbench?.close();
    await vscode?.stop();
    const down = spawnSync(process.execPath, [CLI, 'down', '-w', folder], { encoding: 'utf8' });
    rmSync(folder, { recursive: true, force: true });
    assert.equal(down.status, 0, `taskwarden down: ${down.stderr}`);
  });

  test('the walkthrough creates taskwarden.yaml from the template, and the command never overwrites it', async () => {
    await openWalkthrough(page(), 'Get Started with Taskwarden');
    const create = page().locator('.step-description-container').getByRole('button', { name: 'Create taskwarden.yaml' });
    await create.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).catch(() => undefined);
    await screenshot(page(), 'walkthrough: the getting-started steps');
    await waitFor(
      async () => {
        if (existsSync(configFile)) return true;
        if (await create.isVisible()) await create.click({ timeout: 2000 }).catch(() => undefined);
        else
          await page()
            .getByRole('button', { name: /^Create taskwarden\.yaml/ })
            .first()
            .click({ timeout: 2000 })
            .catch(() => undefined);
        return false;
      },
      { timeoutMs: UI_TIMEOUT_MS, intervalMs: 1000, description: 'the walkthrough step to write taskwarden.yaml' },
    );
    assert.equal(readFileSync(configFile, 'utf8'), CONFIG_TEMPLATE);
    await page().locator('.tab', { hasText: 'taskwarden.yaml' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await screenshot(page(), 'walkthrough: taskwarden.yaml created from the template');

    const mine = `# mine\n${CONFIG_TEMPLATE}`;
    writeFileSync(configFile, mine);
    await runCommand(page(), 'Taskwarden: Create taskwarden.yaml from a Template');
    await page()
      .locator('.notifications-toasts')
      .getByText(/already exists: it was left as it is/)
      .first()
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(readFileSync(configFile, 'utf8'), mine, 'the file is left as it was');
    await screenshot(page(), 'walkthrough: an existing taskwarden.yaml is not overwritten');
    await runCommand(page(), 'View: Close All Editors');
  });

  test('a daemon with one instance is one row; one with two instances has a row for each below it', async () => {
    writeFileSync(configFile, CONFIG);
    await openViewContainer(page(), 'Taskwarden');
    await showOnlyView(page(), 'Daemons');
    await waitFor(async () => /^running · pid \d+/.test(await rowDescription(taskRow(page(), 'painter')).catch(() => '')), {
      timeoutMs: 60_000,
      description: 'painter to run, on its own row',
    });
    await waitFor(async () => /^failed/.test(await rowDescription(taskRow(page(), 'broken')).catch(() => '')), {
      timeoutMs: 60_000,
      description: 'broken to have failed',
    });
    for (const id of ['zulu:0', 'zulu:1'])
      await page()
        .getByRole('treeitem', { name: new RegExp(`^instance ${id}: running`) })
        .waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(
      await page()
        .getByRole('treeitem', { name: /^instance painter:0/ })
        .count(),
      0,
      'no painter:0 child row',
    );
    assert.equal(await taskRow(page(), 'painter').getAttribute('aria-expanded'), null, 'painter is not expandable');
    assert.equal(await taskRow(page(), 'zulu').getAttribute('aria-expanded'), 'true');
    assert.equal(ps(folder).tasks.find((task) => task.name === 'painter')?.instances.length, 1);
    await namesAre(page(), ['zulu', 'alpha', 'painter', 'broken']);
    await screenshot(page(), 'daemons view: one row per single-instance daemon, config order');
  });

  test('a row shows the likely next action and Show Output, which stays in place as the row changes state; Stop asks first', async () => {
    const painter = taskRow(page(), 'painter');
    assert.deepEqual(await inlineActionTitles(painter), ['Stop Daemon', 'Show Daemon Output']);
    const outputButton = painter.getByRole('button', { name: 'Show Daemon Output' });
    const before = await outputButton.boundingBox();
    const labelBox = await painter.locator('.label-name').first().boundingBox();
    assert.ok(before && labelBox);
    assert.ok(labelBox.x + labelBox.width <= before.x, 'the buttons leave the label visible');
    await screenshot(page(), 'daemons view: two inline actions on a running daemon');

    await painter.getByRole('button', { name: 'Stop Daemon' }).click();
    const question = await confirmDialog(page(), { button: 'Stop', asks: 'Stop painter?' });
    assert.equal(question, 'Stop painter?');
    await waitFor(async () => /^stopped/.test(await rowDescription(painter)), { timeoutMs: 60_000, description: 'painter to stop' });
    assert.deepEqual(await inlineActionTitles(painter), ['Start Daemon', 'Show Daemon Output']);
    const after = await outputButton.boundingBox();
    assert.ok(after);
    assert.ok(Math.abs(after.x - before.x) < 1 && Math.abs(after.y - before.y) < 1, `Show Output stayed put: ${before.x} → ${after.x}`);
    await screenshot(page(), 'daemons view: stopped daemon offers Start in the same place');

    await painter.getByRole('button', { name: 'Start Daemon' }).click();
    await waitFor(async () => /^running/.test(await rowDescription(painter)), { timeoutMs: 60_000, description: 'painter to run again' });
  });

  test("the view's title action orders the rows by name, then by state, then by config again", async () => {
    const action = page().getByRole('button', { name: ORDER_ACTION });
    await namesAre(page(), ['zulu', 'alpha', 'painter', 'broken']);
    assert.equal(await viewDescription(page()), '');
    await action.click({ timeout: UI_TIMEOUT_MS });
    await namesAre(page(), ['alpha', 'broken', 'painter', 'zulu']);
    await waitFor(async () => (await viewDescription(page())) === 'by name', { description: 'the title line to say "by name"' });
    await screenshot(page(), 'daemons view: by name');
    await action.click({ timeout: UI_TIMEOUT_MS });
    await namesAre(page(), ['broken', 'zulu', 'painter', 'alpha']);
    await waitFor(async () => (await viewDescription(page())) === 'by state', { description: 'the title line to say "by state"' });
    await screenshot(page(), 'daemons view: by state, problems first');
    await action.click({ timeout: UI_TIMEOUT_MS });
    await namesAre(page(), ['zulu', 'alpha', 'painter', 'broken']);
  });

  test("Show Daemon Output in Terminal renders the process's colors, each line from the start of its row", async () => {
    await chooseFromContextMenu(page(), taskRow(page(), 'painter'), 'Show Daemon Output in Terminal');
    const rows = page().locator('.terminal-wrapper.active .xterm-rows').first();
    const lines = await waitFor(
      async () => {
        const text = (await rows.innerText({ timeout: 2000 }).catch(() => '')).replace(/\u00a0/g, ' ');
        const shown = text.split('\n').filter((line) => line.includes('red alert'));
        return shown.length >= 3 && shown;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'the painter lines in the terminal' },
    );
    for (const line of lines) assert.match(line, /^\[painter:0\] red alert \d+ in \/etc\/hostname\s*$/, 'a line from the start of its row');
    // The red of the process's own escape codes, drawn by xterm's DOM renderer as a class per color.
    await rows
      .locator('span.xterm-fg-1', { hasText: /red alert/ })
      .first()
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(
      await rows.locator('span.xterm-fg-1', { hasText: /in \/etc\/hostname/ }).count(),
      0,
      'the color ends where the process reset it',
    );
    await screenshot(page(), 'terminal: painter output in color');
  });

  test("a view's order is remembered across a window reload", async () => {
    await page().getByRole('button', { name: ORDER_ACTION }).click({ timeout: UI_TIMEOUT_MS });
    await namesAre(page(), ['alpha', 'broken', 'painter', 'zulu']);
    await runCommand(page(), 'Developer: Reload Window');
    await openViewContainer(page(), 'Taskwarden');
    await showOnlyView(page(), 'Daemons');
    await waitFor(async () => (await daemonNames(page())).length === 4, {
      timeoutMs: 60_000,
      description: 'the Daemons view to list again',
    });
    await namesAre(page(), ['alpha', 'broken', 'painter', 'zulu']);
    assert.equal(await viewDescription(page()), 'by name');
    await screenshot(page(), 'daemons view: still by name after a reload');
  });
});
