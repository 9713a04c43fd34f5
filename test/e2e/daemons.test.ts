/**
 * Daemons in a real VS Code (code-server) in Chromium, driven as a user would: the Daemons view
 * lists the tasks of taskwarden.yaml with their running instances and pids; Stop and Start from
 * the view change the state (seen in the view and by `taskwarden ps`); "Show Output" streams live
 * lines into an output channel; the palette asks which daemon to restart; "Go to Config" opens
 * the task's line; the code lenses above a task act and say what the task's row says, with the same
 * icon, in each state; a config error shows in Problems while the daemons keep running; with the
 * agent stopped the view is empty and says why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { ListDaemonsResult } from '../../agent/daemons/protocol';
import {
  confirmDialog,
  firstRowShown,
  openViewContainer,
  showOnlyView,
  openWorkbench,
  problemsPanelText,
  runCommand,
  runCommandAndPick,
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
  ticker:
    commands:
      start: ["/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done"]
  pair:
    count: 2
    commands:
      start: ["/bin/sh", "-c", "while :; do echo tock; echo careful >&2; sleep 0.2; done"]
  idle:
    control: off
    commands:
      start: ["/bin/sleep", "1000"]
  migrate:
    control: once
    commands:
      start: ["/bin/sh", "-c", "exit 0"]
  seed:
    control: once
    commands:
      start: ["/bin/sh", "-c", "exit 3"]
`;

/** `taskwarden ps --json` of the workspace, through the CLI (a second client next to VS Code). */
function ps(folder: string): ListDaemonsResult {
  const result = spawnSync(process.execPath, [CLI, 'ps', '--json', '--no-start', '-w', folder], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskwarden ps failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ListDaemonsResult;
}

/** The state and pid of one instance, as the CLI sees it. */
function cliInstance(folder: string, id: string): { state: string; pid: number | null } {
  const found = ps(folder)
    .tasks.flatMap((task) => task.instances)
    .find((instance) => instance.id === id);
  if (!found) throw new Error(`taskwarden ps lists no ${id}`);
  return { state: found.state, pid: found.pid };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A row of the Daemons view, found by the accessible label its tree item sets. */
function taskRow(page: Page, name: string): Locator {
  return page.getByRole('treeitem', { name: new RegExp(`^daemon ${name}: `) });
}

function instanceRow(page: Page, id: string): Locator {
  return page.getByRole('treeitem', { name: new RegExp(`^instance ${id}: `) });
}

/** The row that shows an instance: its own, or its task's when the task has only this one (one row, no `task:0` child). */
function rowOfInstance(page: Page, folder: string, id: string): Locator {
  const task = ps(folder).tasks.find((candidate) => candidate.instances.some((instance) => instance.id === id));
  return task?.instances.length === 1 ? taskRow(page, task.name) : instanceRow(page, id);
}

/** The description a row shows ("running · pid 1234 · up 3s"), from its accessible label. */
async function rowDescription(row: Locator): Promise<string> {
  const label = (await row.getAttribute('aria-label', { timeout: 2000 })) ?? '';
  return label.slice(label.indexOf(': ') + 2);
}

/**
 * Waits until a row's description matches: a task's row is re-rendered apart from its instances'
 * rows, so it can show the new state a moment after them.
 */
async function descriptionMatches(row: Locator, pattern: RegExp): Promise<void> {
  await waitFor(async () => pattern.test(await rowDescription(row)), {
    timeoutMs: UI_TIMEOUT_MS,
    description: `a row description matching ${String(pattern)}`,
  }).catch(() => undefined);
  // Past the deadline, the assertion says what the row shows instead.
  assert.match(await rowDescription(row), pattern);
}

/** Clicks an inline action (e.g. "Stop Daemon") of a row: they show when the pointer is on it. */
async function clickInlineAction(row: Locator, action: string): Promise<void> {
  await waitFor(
    async () => {
      await row.hover();
      const button = row.getByRole('button', { name: action });
      if (!(await button.isVisible())) return false;
      await button.click({ timeout: 2000 });
      return true;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 300, description: `the "${action}" button of ${await row.getAttribute('aria-label')}` },
  );
}

/** The lines the Output panel shows now (only the rendered ones: it scrolls with new output). */
async function outputLines(page: Page): Promise<string[]> {
  const text = await page.locator('.part.panel .monaco-editor .view-lines').first().innerText({ timeout: 2000 });
  return text.split('\n').map((line) => line.replace(/\u00a0/g, ' '));
}

/** The name of the channel the Output panel shows ("Taskwarden: pair:1"). */
async function outputChannelName(page: Page): Promise<string> {
  return page
    .locator('.part.panel select.monaco-select-box')
    .first()
    .evaluate(
      (element) => {
        const select = element as unknown as { options: { text: string }[]; selectedIndex: number };
        return select.options[select.selectedIndex]?.text ?? '';
      },
      undefined,
      { timeout: 2000 },
    )
    .catch((error: unknown) => `(unknown: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
}

/** The highest `tick N` the Output panel shows. */
async function lastTick(page: Page): Promise<number> {
  const ticks = (await outputLines(page)).flatMap((line) => /^\[ticker:0\] tick (\d+)$/.exec(line)?.[1] ?? []).map(Number);
  return Math.max(0, ...ticks);
}

/** What an output channel holds, all of it: VS Code keeps each extension channel in a log file of the user data folder. */
function channelLog(userDataDir: string, channel: string): string {
  const name = channel.replace(/[^\w\s-]/g, '');
  const logs = join(userDataDir, 'logs');
  for (const session of readdirSync(logs).sort().reverse())
    for (const host of readdirSync(join(logs, session)).filter((entry) => entry.startsWith('exthost')))
      for (const outputs of readdirSync(join(logs, session, host)).filter((entry) => entry.startsWith('output_logging_'))) {
        const file = readdirSync(join(logs, session, host, outputs)).find((entry) => entry.replace(/^\d+-/, '') === `${name}.log`);
        if (file !== undefined) return readFileSync(join(logs, session, host, outputs, file), 'utf8');
      }
  return '';
}

/** The code-lens line above a task in the open editor, found by what its first lens says. */
function lensLine(page: Page, text: string | RegExp): Locator {
  return page.locator('.monaco-editor .codelens-decoration').filter({ hasText: text });
}

/** The codicon a tree row or a lens draws ("pass" for `codicon codicon-pass`), or null. */
async function codiconOf(element: Locator): Promise<string | null> {
  const classes = (await element.getAttribute('class', { timeout: 2000 })) ?? '';
  return /(?:^|\s)codicon-(?!modifier)([\w-]+)/.exec(classes)?.[1] ?? null;
}

/** What a task's row shows: its description and its icon. */
async function rowLook(page: Page, name: string): Promise<{ text: string; icon: string | null }> {
  const row = taskRow(page, name);
  return { text: await rowDescription(row), icon: await codiconOf(row.locator('.custom-view-tree-node-item-icon').first()) };
}

/** What the first lens above a task shows (its state: the lenses after it are actions), found by its text. */
async function lensLook(page: Page, text: string): Promise<{ text: string; icon: string | null } | null> {
  const first = lensLine(page, text).first().locator(':scope > *').first();
  if ((await first.count()) === 0) return null;
  const icon = first.locator('.codicon').first();
  return {
    text: (await first.innerText({ timeout: 2000 })).replace(/\u00a0/g, ' ').trim(),
    icon: (await icon.count()) > 0 ? await codiconOf(icon) : null,
  };
}

describe('daemons in VS Code', { timeout: 20 * 60_000 }, () => {
  let vscode: VsCodeServer | undefined;
  let workbench: Workbench | undefined;
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-daemons-')));
  const pids = new Set<number>();

  /** The open page; every test runs in the same window, one step of a user's session after another. */
  function page(): Page {
    assert.ok(workbench, 'the workbench opened in before()');
    return workbench.page;
  }

  /** Waits until the view and the CLI agree that an instance is in `state`; resolves with its pid. */
  async function settles(id: string, state: string): Promise<number | null> {
    const seen = await waitFor(
      async () => {
        const cli = cliInstance(folder, id);
        if (cli.state !== state) return false;
        const description = await rowDescription(rowOfInstance(page(), folder, id));
        if (!description.startsWith(state)) return false;
        if (cli.pid !== null && !description.includes(`pid ${cli.pid}`)) return false;
        return { pid: cli.pid };
      },
      { timeoutMs: 60_000, description: `${id} to be ${state} in the view and in taskwarden ps` },
    );
    if (seen.pid !== null) pids.add(seen.pid);
    return seen.pid;
  }

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package`);
    writeFileSync(join(folder, 'taskwarden.yaml'), CONFIG);
    vscode = await startVsCode({ vsixPath: VSIX, userSettings: { 'files.autoSave': 'off' } });
    workbench = await openWorkbench(vscode, folder, { trust: true });
  });

  after(async () => {
    // VS Code first: while its window is connected, it would start a new agent after `down`.
    await workbench?.close();
    await vscode?.stop();
    const down = spawnSync(process.execPath, [CLI, 'down', '-w', folder], { encoding: 'utf8' });
    rmSync(folder, { recursive: true, force: true });
    assert.equal(down.status, 0, `taskwarden down: ${down.stderr}`);
    await waitFor(() => [...pids].every((pid) => !isAlive(pid)), {
      timeoutMs: 15_000,
      description: `every daemon process the test saw to be gone (alive: ${[...pids].filter(isAlive).join(', ') || 'none'})`,
    });
  });

  test('the Daemons view lists each task with its running instances and their pids, and a task that is off', async () => {
    await openViewContainer(page(), 'Taskwarden');
    await showOnlyView(page(), 'Daemons');
    // The first row keeps its evidence (screenshot, agent and VS Code logs, taskwarden ps) if it never shows.
    await firstRowShown(page(), taskRow(page(), 'ticker'), 'the ticker row', {
      workspace: folder,
      userDataDir: vscode!.userDataDir,
      cli: CLI,
      args: ['ps'],
    });
    for (const id of ['ticker:0', 'pair:0', 'pair:1']) {
      const pid = await settles(id, 'running');
      assert.ok(pid !== null && pid > 0);
    }
    await descriptionMatches(taskRow(page(), 'pair'), /^2\/2 running/);
    await descriptionMatches(taskRow(page(), 'idle'), /^off/);
    await screenshot(page(), 'daemons view: tasks, instances, pids');
  });

  test("a running instance's row shows its process tree's CPU and memory while the view is visible", async () => {
    // The view watches resources while visible: the agent samples and its deltas carry the figures.
    await descriptionMatches(instanceRow(page(), 'pair:0'), /^running · pid \d+ · up \S+ · (\d+(\.\d)?%|-) CPU · \d+(\.\d)? (kB|MB)/);
    await screenshot(page(), 'daemons view: CPU and memory of each instance');
  });

  test('Stop and Start from the view change the state in the view and in taskwarden ps', async () => {
    const before = await settles('ticker:0', 'running');
    await clickInlineAction(taskRow(page(), 'ticker'), 'Stop Daemon');
    await confirmDialog(page(), { button: 'Stop', asks: 'Stop ticker?' });
    await settles('ticker:0', 'stopped');
    assert.ok(before !== null && !isAlive(before), 'the stopped process is gone');
    await descriptionMatches(taskRow(page(), 'ticker'), /^stopped · last SIGTERM/);
    await screenshot(page(), 'daemons view: ticker stopped');

    await clickInlineAction(taskRow(page(), 'ticker'), 'Start Daemon');
    const after = await settles('ticker:0', 'running');
    assert.notEqual(after, before, 'a new process');
    await screenshot(page(), 'daemons view: ticker started again');
  });

  test('"Show Output" streams the live lines of a daemon into an output channel, stderr marked', async () => {
    await clickInlineAction(taskRow(page(), 'ticker'), 'Show Daemon Output');
    const first = await waitFor(async () => lastTick(page()), { timeoutMs: UI_TIMEOUT_MS, description: 'tick lines in the Output panel' });
    const later = await waitFor(async () => (await lastTick(page())) >= first + 5 && lastTick(page()), {
      timeoutMs: UI_TIMEOUT_MS,
      description: `lines after tick ${first} to arrive live`,
    });
    assert.ok(later > first);
    await screenshot(page(), 'output channel: ticker live');

    await clickInlineAction(instanceRow(page(), 'pair:1'), 'Show Daemon Output');
    const lines = await waitFor(
      async () => {
        const shown = await outputLines(page());
        if (shown.some((line) => line === '[pair:1 stderr] careful') && shown.some((line) => line === '[pair:1] tock')) return shown;
        // Said on timeout: which channel the panel shows, and its last lines.
        throw new Error(`the panel shows "${await outputChannelName(page())}" ending in: ${shown.slice(-4).join(' | ')}`);
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'stdout and marked stderr lines of pair:1' },
    );
    assert.ok(!lines.some((line) => line.startsWith('[pair:0')), 'only the chosen instance');
    assert.equal(await outputChannelName(page()), 'Taskwarden: pair:1');
    await screenshot(page(), 'output channel: pair 1 with stderr');
  });

  test('after the agent is killed, the output channel follows the new one from where it was: no tick lost, none twice', async () => {
    const status = spawnSync(process.execPath, [CLI, 'status', '--json', '--no-start', '-w', folder], { encoding: 'utf8' });
    const agentPid = (JSON.parse(status.stdout) as { pid: number }).pid;
    process.kill(agentPid, 'SIGKILL');
    const ticks = await waitFor(
      () => {
        const log = channelLog(vscode!.userDataDir, 'Taskwarden: ticker');
        const back = log.lastIndexOf('connected to the Taskwarden agent again');
        const after = back < 0 ? [] : [...log.slice(back).matchAll(/\[ticker:0\] tick (\d+)/g)];
        // Lines from the new agent: those written while none ran, then live ones.
        // From the channel's first live line on: the history before it holds the run Stop/Start ended.
        const live = log.slice(log.indexOf('ticker: live output'));
        return after.length >= 15 && [...live.matchAll(/\[ticker:0\] tick (\d+)/g)].map((match) => Number(match[1]));
      },
      { timeoutMs: 60_000, description: 'the ticker channel to follow the new agent' },
    );
    const gaps = ticks.flatMap((tick, index) => (index > 0 && tick !== ticks[index - 1]! + 1 ? [`${ticks[index - 1]!} → ${tick}`] : []));
    assert.deepEqual(gaps, [], 'every tick once, in order, across the agent kill');
  });

  test('the palette asks which daemon to restart and restarts it', async () => {
    const before = await settles('pair:0', 'running');
    await runCommandAndPick(page(), 'Taskwarden: Restart Daemon', 'Which daemon to restart?', 'pair:0');
    const after = await waitFor(
      async () => {
        const now = cliInstance(folder, 'pair:0');
        return now.state === 'running' && now.pid !== before && now.pid;
      },
      { timeoutMs: 60_000, description: 'pair:0 to run with a new pid' },
    );
    await settles('pair:0', 'running');
    assert.equal(cliInstance(folder, 'pair:1').state, 'running', 'its sibling was left alone');
    assert.ok(after > 0);
  });

  test('"Go to Config" opens taskwarden.yaml at the line of the task', async () => {
    // The status bar shows where the cursor is: the name "pair" on line 5 selected, the cursor after it.
    const selection = page().locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /Ln 5, Col 7 \(4 selected\)/ });
    const menuItem = page().getByRole('menuitem', { name: 'Go to Daemon Config' });
    // A context menu ignores a click that comes too soon after it opened (seen on a loaded
    // machine: the menu stayed open with the item highlighted): open it and click until it acts.
    await waitFor(
      async () => {
        if (await selection.isVisible()) return true;
        if (!(await menuItem.isVisible())) await taskRow(page(), 'pair').click({ button: 'right', timeout: 2000 });
        await menuItem.click({ timeout: 2000 }).catch(() => undefined);
        return false;
      },
      { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500, description: 'Go to Daemon Config to select "pair" on line 5' },
    );
    await screenshot(page(), 'go to config: the pair task');
  });

  test('a code lens above a task restarts and stops it, and then offers Start', async () => {
    const before = await settles('ticker:0', 'running');
    const tickerLenses = (): Locator => lensLine(page(), `pid ${cliInstance(folder, 'ticker:0').pid ?? 'none'}`);
    await tickerLenses()
      .locator('a', { hasText: /^Restart$/ })
      .click({ timeout: UI_TIMEOUT_MS });
    const restarted = await waitFor(
      async () => {
        const now = cliInstance(folder, 'ticker:0');
        return now.state === 'running' && now.pid !== before && now.pid;
      },
      { timeoutMs: 60_000, description: 'ticker:0 to run with a new pid after the Restart lens' },
    );
    await settles('ticker:0', 'running');
    // The lens line follows the new state.
    await lensLine(page(), `pid ${restarted}`).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await screenshot(page(), 'code lens: ticker restarted');

    await lensLine(page(), `pid ${restarted}`)
      .locator('a', { hasText: /^Stop$/ })
      .click({ timeout: UI_TIMEOUT_MS });
    await confirmDialog(page(), { button: 'Stop', asks: 'Stop ticker?' });
    await settles('ticker:0', 'stopped');
    const startLens = lensLine(page(), /stopped/).locator('a', { hasText: /^Start$/ });
    await startLens.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await screenshot(page(), 'code lens: ticker stopped, Start offered');
    await startLens.click();
    await settles('ticker:0', 'running');
  });

  test('the lens above each task says what its row says, with the same icon: running, stopped, done, failed, off', async () => {
    await settles('ticker:0', 'running');
    const stop = spawnSync(process.execPath, [CLI, 'stop', 'pair:1', '-w', folder], { encoding: 'utf8' });
    assert.equal(stop.status, 0, stop.stderr);
    await settles('pair:1', 'stopped');
    const expected: Record<string, { text: RegExp; icon: string }> = {
      ticker: { text: /^running · pid \d+ · up \d/, icon: 'circle-filled' },
      pair: { text: /^1\/2 running · 1\/2 stopped/, icon: 'circle-filled' },
      migrate: { text: /^done · last exit 0$/, icon: 'pass' },
      seed: { text: /^failed · last exit 3$/, icon: 'close' },
      idle: { text: /^off \(control 'off'\)$/, icon: 'circle-slash' },
    };
    for (const [name, want] of Object.entries(expected)) {
      // An uptime moves on each second in both: compare the two until they show the same moment.
      const seen = await waitFor(
        async () => {
          const row = await rowLook(page(), name);
          const lens = await lensLook(page(), row.text);
          return lens !== null && lens.text === row.text && lens.icon === row.icon && { row, lens };
        },
        { timeoutMs: UI_TIMEOUT_MS, description: `the lens above ${name} to say what its row says` },
      );
      assert.match(seen.row.text, want.text, name);
      assert.equal(seen.row.icon, want.icon, name);
    }
    // An uptime moves on between state changes: the lens follows the row then too.
    const earlier = (await rowLook(page(), 'ticker')).text;
    await waitFor(
      async () => {
        const row = await rowLook(page(), 'ticker');
        return row.text !== earlier && (await lensLook(page(), row.text))?.text === row.text;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: `the lens above ticker to move on from "${earlier}" with its row` },
    );
    await screenshot(page(), 'code lenses and rows agree');
    const start = spawnSync(process.execPath, [CLI, 'start', 'pair:1', '-w', folder], { encoding: 'utf8' });
    assert.equal(start.status, 0, start.stderr);
    await settles('pair:1', 'running');
  });

  test('a config error shows in Problems, and the running daemons keep running', async () => {
    const running = await settles('ticker:0', 'running');
    const broken = CONFIG.replace('  pair:\n', '  pair:\n    requires: [nosuch]\n');
    writeFileSync(join(folder, 'taskwarden.yaml'), broken);
    const rows = await waitFor(
      async () => {
        const text = await problemsPanelText(page());
        return text.some((row) => row.includes("requires 'nosuch', which is not a task")) && text;
      },
      { timeoutMs: 60_000, description: 'the Problems panel to show the unknown requirement' },
    );
    assert.ok(
      rows.some((row) => row.includes('[Ln 6,')),
      `rows: ${rows.join(' | ')}`,
    );
    const sideBar = page().locator('#workbench\\.parts\\.sidebar');
    await waitFor(async () => (await sideBar.innerText()).includes('the last good config keeps running'), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the Daemons view to say the last good config keeps running',
    });
    await screenshot(page(), 'problems: unknown requirement');
    assert.deepEqual(cliInstance(folder, 'ticker:0'), { state: 'running', pid: running }, 'the last good config keeps running');

    writeFileSync(join(folder, 'taskwarden.yaml'), CONFIG);
    await waitFor(async () => !(await problemsPanelText(page())).some((row) => row.includes('nosuch')), {
      timeoutMs: 60_000,
      description: 'the problem to go away once the file is fixed',
    });
    await waitFor(async () => !(await sideBar.innerText()).includes('the last good config keeps running'), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the Daemons view to drop its config note',
    });
    assert.equal(readFileSync(join(folder, 'taskwarden.yaml'), 'utf8'), CONFIG);
  });

  test('with the agent stopped, the Daemons view is empty and its welcome text says why', async () => {
    const seen = [...pids];
    await runCommand(page(), 'Taskwarden: Stop Agent');
    await page().locator('.monaco-dialog-box').getByRole('button', { name: 'Stop Agent' }).click();
    const daemonsPane = page()
      .locator('#workbench\\.parts\\.sidebar .pane')
      .filter({ has: page().locator('.pane-header', { hasText: 'Daemons' }) });
    await waitFor(
      async () =>
        (await taskRow(page(), 'ticker').count()) === 0 && (await daemonsPane.innerText()).includes('The Taskwarden agent is not running.'),
      { timeoutMs: 60_000, description: 'the Daemons view to empty and explain that the agent is not running' },
    );
    await waitFor(() => seen.every((pid) => !isAlive(pid)), { timeoutMs: 30_000, description: 'the daemons to be stopped with the agent' });
    await screenshot(page(), 'agent stopped: daemons view explains');
  });
});
