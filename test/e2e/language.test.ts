/**
 * Editing help for taskwarden.yaml in a real VS Code (code-server, without Red Hat's YAML
 * extension) in Chromium: suggest offers the schema's keys on an empty line and a task's name in
 * `requires`, a key's hover shows its documentation, the quick fix of a misspelt key replaces it,
 * and the Outline lists the file's sections with their entries. All of it comes from the agent.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  openViewContainer,
  openWorkbench,
  runCommand,
  screenshot,
  startVsCode,
  UI_TIMEOUT_MS,
  waitFor,
  type VsCodeServer,
  type Workbench,
  CLI,
  VSIX,
} from './harness';

const CONFIG = `tasks:
  db:
    commands: {start: ["/bin/sleep", "1000"]}
  web:
    requires: []
    stop_timeout: 3
    commands: {start: ["/bin/sleep", "1000"]}
queues:
  build: {}
jobs:
  push:
    task: queue
    params: {queue: build, cmd: ["true"]}
`;

describe('editing help for taskwarden.yaml in VS Code', { timeout: 10 * 60_000 }, () => {
  let vscode: VsCodeServer | undefined;
  let workbench: Workbench | undefined;
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-language-')));

  function page(): Page {
    assert.ok(workbench, 'the workbench opened in before()');
    return workbench.page;
  }

  /** The editor of taskwarden.yaml (not an output channel's). */
  function editor(): Locator {
    return page().locator('#workbench\\.parts\\.editor .monaco-editor').filter({ hasText: 'stop_timeout' }).first();
  }

  /** Puts the cursor at line:column (1-based) with Go to Line. */
  async function goTo(line: number, column: number): Promise<void> {
    await page().keyboard.press('Control+G');
    const input = page().locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`:${line}:${column}`);
    await page().keyboard.press('Enter');
    await page().locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** Triggers suggest until its list shows `label`; resolves with every label it shows. */
  async function suggestShows(label: string): Promise<string[]> {
    const widget = page().locator('.editor-widget.suggest-widget');
    return waitFor(
      async () => {
        if (!(await widget.isVisible())) await page().keyboard.press('Control+Space');
        const labels = (await widget.locator('.monaco-list-row .label-name').allInnerTexts()).map((text) => text.trim());
        return labels.includes(label) && labels;
      },
      { timeoutMs: 60_000, intervalMs: 1000, description: `the suggest widget to offer "${label}"` },
    );
  }

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package`);
    writeFileSync(join(folder, 'taskwarden.yaml'), CONFIG);
    vscode = await startVsCode({ vsixPath: VSIX, userSettings: { 'files.autoSave': 'off' } });
    workbench = await openWorkbench(vscode, folder, { trust: true });
    await openViewContainer(page(), 'Taskwarden');
    await runCommand(page(), 'Taskwarden: Open Config');
    await editor().locator('.view-lines').click();
  });

  after(async () => {
    await workbench?.close();
    await vscode?.stop();
    const down = spawnSync(process.execPath, [CLI, 'down', '-w', folder], { encoding: 'utf8' });
    rmSync(folder, { recursive: true, force: true });
    assert.equal(down.status, 0, `taskwarden down: ${down.stderr}`);
  });

  test('suggest offers the sections the file lacks on an empty line', async () => {
    await page().keyboard.press('Control+End');
    const labels = await suggestShows('watcher');
    assert.ok(labels.includes('groups') && labels.includes('settings'), labels.join(', '));
    assert.ok(!labels.includes('tasks'), 'a section the file has is not offered again');
    await screenshot(page(), 'suggest: top-level keys from the schema');
    await page().keyboard.press('Escape');
  });

  test('suggest offers the other tasks inside requires', async () => {
    // Between the brackets of `    requires: []`.
    await goTo(5, 16);
    const labels = await suggestShows('db');
    assert.ok(!labels.includes('web'), 'a task does not require itself');
    await screenshot(page(), 'suggest: a task name in requires');
    await page().keyboard.press('Escape');
  });

  test("hovering a key shows the schema's documentation", async () => {
    const hover = page().locator('.monaco-hover').filter({ hasText: 'Seconds between the stop signal and SIGKILL' });
    await waitFor(
      async () => {
        await editor()
          .locator('.view-line span', { hasText: /^stop_timeout$/ })
          .first()
          .hover();
        return hover.isVisible();
      },
      { timeoutMs: 60_000, intervalMs: 1000, description: 'the hover of stop_timeout' },
    );
    await screenshot(page(), 'hover: stop_timeout documented');
    await page().mouse.move(0, 0);
  });

  test('the quick fix of a misspelt key replaces it with the one meant', async () => {
    await goTo(6, 5);
    await page().keyboard.press('Shift+End');
    await page().keyboard.type('stop_timout: 3');
    const lightbulbFix = page().getByRole('option', { name: /Change 'stop_timout' to 'stop_timeout'/ });
    await editor()
      .locator('.squiggly-error')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 })
      .catch(() => assert.fail('no error squiggle under stop_timout: the diagnostic did not come'));
    await waitFor(
      async () => {
        if (await lightbulbFix.first().isVisible()) return true;
        // A menu opened too early (no fix yet) is closed, and asked again with the cursor in the word.
        await page().keyboard.press('Escape');
        await goTo(6, 7);
        await page().keyboard.press('Control+.');
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 1500, description: 'the quick fix for stop_timout' },
    );
    await screenshot(page(), 'quick fix: did you mean stop_timeout');
    // The menu's first fix is focused; a click lands on the menu's pointer block, Enter applies it.
    await page().keyboard.press('Enter');
    // The editor renders spaces as no-break spaces.
    await waitFor(async () => (await editor().innerText()).replace(/\u00a0/g, ' ').includes('stop_timeout: 3'), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the key to be replaced',
    });
  });

  test('the Outline lists the sections with their entries', async () => {
    await runCommand(page(), 'Explorer: Focus on Outline View');
    const outline = page().locator('.outline-pane');
    const row = (name: string): Locator => outline.getByRole('treeitem', { name: new RegExp(`^${name}\\b`) });
    await waitFor(async () => (await row('tasks').isVisible()) && (await row('queues').isVisible()) && (await row('jobs').isVisible()), {
      timeoutMs: 60_000,
      description: 'the outline to show tasks, queues and jobs',
    });
    await waitFor(async () => (await row('web').isVisible()) && (await row('build').isVisible()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the outline to show the entries web and build',
    });
    await screenshot(page(), 'outline: sections and entries');
  });
});
