/**
 * The Queues view in a real VS Code (code-server) in Chromium: a queue filling (one running, two
 * queued, pushed from the CLI) and draining, the running item's output streaming into an output
 * channel, Kill from the row's inline button, and the code lens above the queue in taskwarden.yaml
 * with its counts and Pause/Resume, and bad `queues:` entries (concurrency 0, an unknown key, a
 * workdir that is a file) shown in the Problems panel at their lines as they are typed, before any
 * save, and gone once the file is reverted. The first item runs until killed, so each step is
 * seen while it is true, without fixed sleeps.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  answerQuickInput,
  clickRowButton,
  chooseFromContextMenu,
  confirmDialog,
  problemsPanelText,
  rowHoverText,
  runCommand,
  screenshot,
  UI_TIMEOUT_MS,
  waitFor,
  type Workbench,
  CLI,
  openPartView,
  type PartView,
} from './harness';

const CONFIG = 'queues:\n  build:\n    concurrency: 1\n';
/** A file in the workspace that a typed queue names as its workdir. */
const NOT_A_FOLDER = 'notes.txt';

function cli(args: readonly string[], folder: string): string {
  // The global options go first: after `--` they would be the pushed command's own arguments.
  const result = spawnSync(process.execPath, [CLI, '-w', folder, '--no-start', ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, `taskwarden ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function queuesPane(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^Queues$/ }) });
}

/** The row of the Queues tree whose label starts with `label`. */
function row(page: Page, label: string | RegExp): Locator {
  return queuesPane(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) });
}

async function outputLines(page: Page): Promise<string[]> {
  const text = await page.locator('.part.panel .monaco-editor .view-lines').first().innerText({ timeout: 2000 });
  return text.split('\n').map((line) => line.replace(/\u00a0/g, ' '));
}

function lensLine(page: Page, text: string | RegExp): Locator {
  return page.locator('.monaco-editor .codelens-decoration').filter({ hasText: text });
}

describe('the Queues view in VS Code', { timeout: 10 * 60_000 }, () => {
  let view: PartView | undefined;
  let workbench: Workbench | undefined;
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-queues-')));
  const workspace = join(root, 'workspace');

  before(async () => {
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'taskwarden.yaml'), CONFIG);
    writeFileSync(join(workspace, NOT_A_FOLDER), 'not a folder\n');
    // The Problems test needs an unsaved buffer: code-server saves on its own by default.
    view = await openPartView({
      root,
      workspace,
      view: 'Queues',
      firstRow: (page) => row(page, /^build$/),
      what: 'the build row',
      listing: ['queue', 'list'],
      userSettings: { 'files.autoSave': 'off' },
    });
    workbench = view.workbench;
  });

  after(async () => {
    await view?.end();
  });

  test('shows the queue filling: one item running, two queued in order', async () => {
    const page = workbench!.page;
    cli(
      ['queue', 'push', 'build', '--id', 'ticker', '--', '/bin/sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done'],
      workspace,
    );
    cli(['queue', 'push', 'build', '--id', 'second', '--', 'echo', 'second-ran'], workspace);
    cli(['queue', 'push', 'build', '--id', 'third', '--', 'echo', 'third-ran'], workspace);
    await waitFor(async () => /1 running · 2 queued/.test(await row(page, /^build$/).innerText()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the queue row to count 1 running, 2 queued',
    });
    await row(page, /^ticker /).waitFor({ state: 'visible' });
    assert.match(await row(page, /^ticker /).innerText(), /running/);
    const labels = await queuesPane(page).locator('.monaco-list-row .label-name').allInnerTexts();
    const order = labels.map((label) => label.split(/\s/)[0]).filter((id) => ['ticker', 'second', 'third'].includes(id ?? ''));
    assert.deepEqual(order, ['ticker', 'second', 'third']);
    await screenshot(page, 'queues view: one running, two queued');
  });

  test("streams the running item's output into an output channel", async () => {
    const page = workbench!.page;
    const ticker = row(page, /^ticker /);
    await ticker.hover();
    await ticker.getByRole('button', { name: 'Show Queue Item Output' }).click();
    const first = await waitFor(
      async () => {
        const ticks = (await outputLines(page)).flatMap((line) => /tick (\d+)$/.exec(line)?.[1] ?? []).map(Number);
        return ticks.length > 0 && Math.max(...ticks);
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'tick lines in the output channel' },
    );
    await waitFor(
      async () => {
        const ticks = (await outputLines(page)).flatMap((line) => /tick (\d+)$/.exec(line)?.[1] ?? []).map(Number);
        return Math.max(0, ...ticks) > first + 2;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'new tick lines to stream in' },
    );
    await screenshot(page, 'queue item output streaming');
  });

  test('shows the code lens above the queue with its counts, and pauses and resumes it', async () => {
    const page = workbench!.page;
    await runCommand(page, 'Taskwarden: Open Config');
    const lens = lensLine(page, /1 running · 2 queued/);
    await lens.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await lens
      .first()
      .locator('a', { hasText: /^Pause$/ })
      .click();
    await lensLine(page, /paused/)
      .first()
      .locator('a', { hasText: /^Resume$/ })
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await waitFor(async () => /paused/.test(await row(page, /^build$/).innerText()), { description: 'the queue row to say paused' });
    await screenshot(page, 'code lens: paused queue');
    await lensLine(page, /paused/)
      .first()
      .locator('a', { hasText: /^Resume$/ })
      .click();
    await waitFor(async () => !/paused/.test(await row(page, /^build$/).innerText()), { description: 'the queue row to resume' });
  });

  test('kills the running item from its row, and the queue drains', async () => {
    const page = workbench!.page;
    const ticker = row(page, /^ticker /);
    await ticker.hover();
    await ticker.getByRole('button', { name: 'Kill Queue Item' }).click();
    await confirmDialog(page, { button: 'Kill', asks: 'Kill queue item ticker' });
    await waitFor(async () => /0 running · 0 queued/.test(await row(page, /^build$/).innerText()), {
      timeoutMs: 2 * UI_TIMEOUT_MS,
      description: 'the queue to drain',
    });
    // process-queue's records: state, killed, id.
    const items = JSON.parse(cli(['queue', 'history', 'build', '--json'], workspace)) as { id: string; state: number; killed: boolean }[];
    const byId = new Map(items.map((item) => [item.id, item]));
    assert.equal(byId.get('ticker')?.killed, true, 'ticker was killed');
    assert.equal(byId.get('second')?.state, 2);
    assert.equal(byId.get('third')?.state, 2);
    await screenshot(page, 'queues view: drained after the kill');
  });

  test('shows an id pushed again once it ended: the new run in the queue, the earlier one under Recent', async () => {
    const page = workbench!.page;
    cli(['queue', 'push', 'build', '--id', 'again', '--', 'echo', 'first-run'], workspace);
    cli(['queue', 'wait', 'again'], workspace);
    cli(['queue', 'push', 'build', '--id', 'again', '--', '/bin/sh', '-c', 'while true; do sleep 0.2; done'], workspace);
    await waitFor(async () => /1 running · 0 queued/.test(await row(page, /^build$/).innerText()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the queue row to count the second run of again',
    });
    const recent = row(page, /^Recent$/);
    if ((await recent.getAttribute('aria-expanded')) !== 'true') await recent.click();
    // Two rows of one id: VS Code draws neither of a tree that repeats a row id.
    const rows = await waitFor(
      async () => {
        const texts = await row(page, /^again /).allInnerTexts();
        return texts.length === 2 && texts;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'two rows of again: the running one and the finished one' },
    );
    assert.ok(rows.some((text) => /running/.test(text)) && rows.some((text) => /done/.test(text)), rows.join(' | '));
    await screenshot(page, 'queues view: an id pushed again, with its earlier run under Recent');
    // The finished run's hover is its full record, as `taskwarden queue show` prints it.
    const finished = row(page, /^again {2}echo first-run$/);
    const record = await rowHoverText(page, finished, 'final cmd:', 'the hover of the finished run of again');
    for (const field of [
      /state: +2 \(done\)/,
      /exit: +0/,
      /killed: +false/,
      /final cmd: +echo first-run/,
      /final env: +_ID_=again/,
      /stdout log: /,
    ])
      assert.match(record, field);
    await screenshot(page, 'queues view: the hover of a finished run');
    await page.mouse.move(0, 0);
    cli(['queue', 'kill', 'again'], workspace);
    await waitFor(async () => /0 running · 0 queued/.test(await row(page, /^build$/).innerText()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the second run of again to end',
    });
  });

  test('pushes a command from the queue row, moves an item to the front, removes one and retries a finished one', async () => {
    const page = workbench!.page;
    cli(['queue', 'pause', 'build'], workspace);
    await waitFor(async () => /paused/.test(await row(page, /^build$/).innerText()), { description: 'the queue row to say paused' });
    await clickRowButton(page, row(page, /^build$/), 'Push Command…');
    await answerQuickInput(page, 'Push to build (1/3)', 'echo "from the view"', 'Push to build (2/3)');
    await answerQuickInput(page, 'Push to build (2/3)', 'sub', 'Push to build (3/3)');
    await answerQuickInput(page, 'Push to build (3/3)', 'GREETING=hi');
    await row(page, /^\S+ {2}echo "from the view"$/).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const queued = JSON.parse(cli(['queue', 'list', 'build', '--json'], workspace)) as { cmd: string[]; cwd: string; env: object }[];
    assert.deepEqual(
      queued.map((item) => [item.cmd, item.cwd, item.env]),
      [[['echo', 'from the view'], 'sub', { GREETING: 'hi' }]],
    );

    cli(['queue', 'push', 'build', '--id', 'doomed', '--', 'echo', 'doomed'], workspace);
    cli(['queue', 'push', 'build', '--id', 'front', '--', 'echo', 'front'], workspace);
    await row(page, /^front /).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await chooseFromContextMenu(page, row(page, /^front /), 'Move to Front');
    await waitFor(async () => (await liveOrder()).join(' ').startsWith('front '), { description: 'front to move to the front' });
    await clickRowButton(page, row(page, /^doomed /), 'Remove Queue Item');
    await confirmDialog(page, { button: 'Remove', asks: 'Remove queue item doomed' });
    await waitFor(async () => !(await liveOrder()).includes('doomed'), { description: 'doomed to be removed' });
    assert.equal((await liveOrder()).length, 2);
    await screenshot(page, 'queues view: pushed from the view, front moved, doomed removed');

    cli(['queue', 'resume', 'build'], workspace);
    cli(['queue', 'wait-empty', 'build'], workspace);
    const recent = row(page, /^Recent$/);
    if ((await recent.getAttribute('aria-expanded')) !== 'true') await recent.click();
    const finished = row(page, /^front /);
    await waitFor(async () => /done/.test(await finished.innerText()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'front done under Recent',
    });
    await clickRowButton(page, finished, 'Retry Queue Item');
    await waitFor(
      async () => {
        const history = JSON.parse(cli(['queue', 'history', 'build', '--json'], workspace)) as { cmd: string[]; state: number }[];
        return history.filter((item) => item.cmd.join(' ') === 'echo front' && item.state === 2).length === 2;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'the retry of front to run' },
    );

    /** The ids of the queue's live rows, top to bottom. */
    async function liveOrder(): Promise<string[]> {
      const items = JSON.parse(cli(['queue', 'list', 'build', '--json'], workspace)) as { id: string }[];
      return items.map((item) => item.id);
    }
  });

  test('shows each bad queues: entry in the Problems panel at its line as it is typed, and none once the file is reverted', async () => {
    const page = workbench!.page;
    await runCommand(page, 'Taskwarden: Open Config');
    // The config's editor, not the output channel's in the panel.
    const editor = page.locator('#workbench\\.parts\\.editor .monaco-editor').filter({ hasText: 'concurrency: 1' });
    await editor.locator('.view-lines').first().click();
    await page.keyboard.press('Control+End');
    // Lines 4 to 6, each in flow style. The editor indents a new line like the one above: the
    // indentation it put there is selected (Shift+Home) and typed over, so each line has its own.
    const typed = ['  deploy: {concurrency: 0}', '  lint: {bogus: 1}', `  docs: {workdir: ${NOT_A_FOLDER}}`];
    for (const [index, line] of typed.entries()) {
      if (index > 0) {
        await page.keyboard.press('Enter');
        await page.keyboard.press('Shift+Home');
      }
      await page.keyboard.type(line);
    }
    await waitFor(async () => (await editor.first().innerText()).includes('docs'), { description: 'the typed lines in the editor' });
    await screenshot(page, 'queues: bad entries typed');
    const problems = [
      { text: 'queues.deploy.concurrency must be >= 1', line: 4 },
      { text: "unknown key in queues.lint: 'bogus'", line: 5 },
      { text: `workdir ${NOT_A_FOLDER} is a file, not a folder`, line: 6 },
    ];
    const rows = await waitFor(
      async () => {
        const text = await problemsPanelText(page);
        return problems.every((problem) => text.some((line) => line.includes(problem.text))) && text;
      },
      { timeoutMs: 60_000, description: 'the Problems panel to show the three problems' },
    );
    for (const problem of problems)
      assert.ok(
        rows.some((line) => line.includes(problem.text) && line.includes(`[Ln ${problem.line},`)),
        `${problem.text} at line ${problem.line}; rows: ${rows.join(' | ')}`,
      );
    assert.doesNotMatch(readFileSync(join(workspace, 'taskwarden.yaml'), 'utf8'), /deploy/, 'the file on disk was not saved');
    await screenshot(page, 'queues: three problems in Problems while typing');

    await runCommand(page, 'File: Revert File');
    await waitFor(async () => !(await editor.first().innerText()).includes('deploy'), { description: 'the editor back to the saved text' });
    await waitFor(
      async () => {
        const text = await problemsPanelText(page);
        return !problems.some((problem) => text.some((line) => line.includes(problem.text)));
      },
      { timeoutMs: 60_000, description: 'the problems to go once the file is reverted' },
    );
    assert.equal(readFileSync(join(workspace, 'taskwarden.yaml'), 'utf8'), CONFIG);
    await screenshot(page, 'queues: problems gone after the revert');
  });
});
