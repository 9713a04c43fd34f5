/**
 * The Tasks view and its commands in a real VS Code (code-server) in Chromium: a task launched
 * from the command palette with a feedback folder, its live progress bar in the view, its feedback
 * keys when expanded, the history row once it ends (checked against the CLI too), and its final
 * feedback as a read-only JSON document, its output in an output channel. The task waits for a file the test creates before it
 * ends, so each step is seen while it is true, without fixed sleeps.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { TaskHistoryResult, TaskInfo } from '../../agent/tasks/protocol';
import {
  answerQuickInput,
  chooseFromContextMenu,
  confirmDialog,
  firstRowShown,
  inlineActionTitles,
  openViewContainer,
  showOnlyView,
  openWorkbench,
  runCommand,
  screenshot,
  startVsCode,
  UI_TIMEOUT_MS,
  waitFor,
  type Evidence,
  type VsCodeServer,
  type Workbench,
  CLI,
  VSIX,
} from './harness';

const TASK_NAME = 'progress-demo';

/**
 * Reports progress 10 % at a time up to 80 %, then heartbeats until the test creates `release`
 * in the workspace, then reports 100 % and ends. Typed into the palette as one line: the quotes
 * keep the script one argument, `$…` reaches sh untouched.
 */
const COMMAND_LINE =
  '/bin/sh -c "for i in 1 2 3 4 5 6 7 8; do echo [progress]$((i*10)) >> $TASKWARDEN_FEEDBACK_FILE; ' +
  'echo [phase]step-$i >> $TASKWARDEN_FEEDBACK_FILE; echo step $i; sleep 1; done; ' +
  'while [ ! -e release ]; do touch $TASKWARDEN_FEEDBACK_FILE; sleep 0.3; done; ' +
  'echo [progress]100 >> $TASKWARDEN_FEEDBACK_FILE; echo [phase]done >> $TASKWARDEN_FEEDBACK_FILE"';

/** The lines the Output panel shows now (only the rendered ones: it scrolls with new output). */
async function outputLines(page: Page): Promise<string[]> {
  const text = await page.locator('.part.panel .monaco-editor .view-lines').first().innerText({ timeout: 2000 });
  return text.split('\n').map((line) => line.replace(/\u00a0/g, ' '));
}

function cli(args: readonly string[], folder: string): string {
  const result = spawnSync(process.execPath, [CLI, ...args, '-w', folder, '--no-start'], { encoding: 'utf8' });
  assert.equal(result.status, 0, `taskwarden ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Runs a palette command whose first step is a quick input titled `nextTitle` (the harness's runCommand waits for the palette to close). */
async function startCommand(page: Page, title: string, nextTitle: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await waitFor(
    async () => {
      if (!(await input.isVisible())) await page.keyboard.press('F1');
      return input.isVisible();
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500, description: 'the command palette to open' },
  );
  await input.fill(`>${title}`);
  await widget.getByRole('option').filter({ hasText: title }).first().click();
  await widget.locator('.quick-input-title', { hasText: nextTitle }).waitFor({ state: 'visible' });
}

/** Runs "Launch Task" and answers its four steps. */
async function launchFromPalette(page: Page, commandLine: string, name: string, timeout: string, folder: string): Promise<void> {
  await startCommand(page, 'Taskwarden: Launch Task', 'Launch Task (1/4)');
  await answerQuickInput(page, 'Launch Task (1/4)', commandLine, 'Launch Task (2/4)');
  await answerQuickInput(page, 'Launch Task (2/4)', name, 'Launch Task (3/4)');
  await answerQuickInput(page, 'Launch Task (3/4)', timeout, 'Launch Task (4/4)');
  await answerQuickInput(page, 'Launch Task (4/4)', folder);
}

/** The Tasks pane of the side bar. */
function tasksPane(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^Tasks$/ }) });
}

/** The row of the Tasks tree whose label is exactly `label`. */
function row(page: Page, label: string | RegExp): Locator {
  return tasksPane(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: typeof label === 'string' ? new RegExp(`^${label}$`) : label }) });
}

/** The text of the active editor (Monaco draws spaces as no-break spaces). */
async function editorText(page: Page): Promise<string> {
  const text = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Expands a collapsed tree row by clicking its twistie. */
async function expand(target: Locator): Promise<void> {
  await waitFor(
    async () => {
      const expanded = await target.getAttribute('aria-expanded');
      if (expanded === 'true') return true;
      await target.locator('.monaco-tl-twistie').click();
      return false;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 1000, description: 'the row to expand' },
  );
}

describe('the Tasks view in VS Code', { timeout: 15 * 60_000 }, () => {
  let vscode: VsCodeServer | undefined;
  let workbench: Workbench | undefined;
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-tasks-')));
  const workspace = join(root, 'workspace');
  const feedbackFolder = join(root, 'feedback');

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package`);
    mkdirSync(workspace);
    mkdirSync(feedbackFolder);
    writeFileSync(join(workspace, 'taskwarden.yaml'), 'watcher:\n  reservation_ttl: 30\n');
    vscode = await startVsCode({ vsixPath: VSIX });
    workbench = await openWorkbench(vscode, workspace, { trust: true });
    await openViewContainer(workbench.page, 'Taskwarden');
    await showOnlyView(workbench.page, 'Tasks');
    // The welcome text of a running agent with no task yet.
    await firstRowShown(workbench.page, tasksPane(workbench.page).getByText('No tracked tasks yet'), 'the welcome text', evidence());
  });

  const evidence = (): Evidence => ({ workspace, userDataDir: vscode!.userDataDir, cli: CLI, args: ['task', 'list'] });

  after(async () => {
    await workbench?.close();
    spawnSync(process.execPath, [CLI, 'down', '-w', workspace]);
    await vscode?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('launches a task with a feedback folder from the command palette', async () => {
    const page = workbench!.page;
    await launchFromPalette(page, COMMAND_LINE, TASK_NAME, '60', feedbackFolder);

    await firstRowShown(page, row(page, TASK_NAME), 'the launched task row', evidence());
    const listed = JSON.parse(cli(['task', 'list', '--json'], workspace)) as { tasks: TaskInfo[] };
    const task = listed.tasks.find((candidate) => candidate.name === TASK_NAME);
    assert.ok(task, `the agent lists the task: ${JSON.stringify(listed)}`);
    assert.deepEqual(task.argv?.slice(0, 2), ['/bin/sh', '-c'], 'the command line was split with the script as one argument');
    assert.match(task.argv?.[2] ?? '', /^for i in 1 2 3 4 5 6 7 8; do echo \[progress\]\$\(\(i\*10\)\) >> \$TASKWARDEN_FEEDBACK_FILE;/);
    assert.equal(task.feedbackFile, join(feedbackFolder, `feedback_${task.id}.log`));
    assert.equal(task.timeoutMs, 60_000);
  });

  test('shows the live progress of the running task as a bar in its row', async () => {
    const page = workbench!.page;
    const seen = new Set<string>();
    let figures = false;
    await waitFor(
      async () => {
        const text = await row(page, TASK_NAME).innerText();
        const percent = /[▰▱]+ (\d+)%/.exec(text)?.[1];
        if (percent !== undefined) seen.add(percent);
        // The view watches resources while visible: the task's tree's CPU and memory come with its row.
        figures ||= /(\d+(\.\d)?%|-) CPU \d+(\.\d)? (kB|MB)/.test(text);
        return seen.size >= 2 && figures;
      },
      { timeoutMs: 2 * UI_TIMEOUT_MS, intervalMs: 250, description: 'the progress bar to move and CPU and memory to show' },
    );
    const text = await row(page, TASK_NAME).innerText();
    assert.match(text, /#\d+/, 'the row shows the task id');
    assert.match(text, /\d+s/, 'the row shows the elapsed time');
    await screenshot(page, 'tasks view: running task with its progress bar');
  });

  test('shows the feedback keys of the task, live, when it is expanded', async () => {
    const page = workbench!.page;
    await expand(row(page, TASK_NAME));
    await row(page, 'phase').waitFor({ state: 'visible' });
    // The task stops at 80 % until released: the expanded keys follow it there.
    await waitFor(async () => (await row(page, 'progress').innerText()).includes('80'), {
      timeoutMs: 2 * UI_TIMEOUT_MS,
      description: 'the progress key to reach 80',
    });
    await waitFor(async () => (await row(page, 'phase').innerText()).includes('step-8'), { description: 'the phase key to reach step-8' });
    // The task's own row is re-rendered separately from its children: it follows within a moment.
    await waitFor(async () => /▰{6}▱{2} 80%/.test(await row(page, TASK_NAME).innerText()), { description: 'the task row to show 80 %' });
    await screenshot(page, 'tasks view: feedback keys of the expanded task');
  });

  test('opens the live feedback as a read-only JSON document from the context menu of the running task', async () => {
    const page = workbench!.page;
    const live = row(page, TASK_NAME);
    // Kill and Show Output are the row's two inline actions; the feedback is in its context menu.
    await live.hover();
    assert.deepEqual(await inlineActionTitles(live), ['Kill Task', 'Show Task Output']);
    await chooseFromContextMenu(page, live, 'Show Task Feedback');
    await waitFor(async () => /"source": "running"[\s\S]*"phase": "step-8"/.test(await editorText(page)), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the feedback document of the running task',
    });
    await page.locator('.tab', { hasText: /task-\d+-feedback\.json/ }).waitFor({ state: 'visible' });
    await screenshot(page, 'feedback document of the running task');
  });

  test('moves the task to the history with its exit, duration and final feedback when it ends', async () => {
    const page = workbench!.page;
    writeFileSync(join(workspace, 'release'), '');
    await row(page, TASK_NAME).waitFor({ state: 'detached', timeout: 2 * UI_TIMEOUT_MS });
    const history = row(page, 'History');
    await history.waitFor({ state: 'visible' });
    assert.match(await history.innerText(), /1 run/);
    await expand(history);
    const entry = row(page, TASK_NAME);
    await entry.waitFor({ state: 'visible' });
    const text = await entry.innerText();
    assert.match(text, /exit 0/);
    assert.match(text, /▰{8} 100%/);
    assert.match(text, /\b\d+s\b/, 'the duration');
    await expand(entry);
    await waitFor(async () => (await row(page, 'phase').innerText()).includes('done'), { description: 'the final phase key' });
    await screenshot(page, 'tasks view: the finished task in the history');

    const fromCli = JSON.parse(cli(['task', 'history', '--json'], workspace)) as TaskHistoryResult;
    assert.equal(fromCli.total, 1);
    const [run] = fromCli.entries;
    assert.ok(run);
    assert.equal(run.name, TASK_NAME);
    assert.equal(run.outcome, 'exited');
    assert.equal(run.exitCode, 0);
    assert.deepEqual(run.feedback, { progress: '100', phase: 'done' });
    assert.match(text, new RegExp(`#${run.id}\\b`));
  });

  test('shows the final feedback in the open document once the task ended, and from the palette', async () => {
    const page = workbench!.page;
    // The document opened while the task ran follows it into the history.
    await waitFor(async () => /"source": "history"[\s\S]*"progress": "100"[\s\S]*"phase": "done"/.test(await editorText(page)), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the open feedback document to show the final feedback',
    });
    await runCommand(page, 'View: Close All Editors');
    await startCommand(page, 'Taskwarden: Show Task Feedback', 'Show Task Feedback');
    await page.locator('.quick-input-widget').getByRole('option').filter({ hasText: TASK_NAME }).first().click();
    await waitFor(async () => (await editorText(page)).includes('"phase": "done"'), {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the feedback document picked from the palette',
    });
    await screenshot(page, 'feedback document of the finished task');
  });

  test('shows the captured output of the finished task in an output channel, read back from its files', async () => {
    const page = workbench!.page;
    await startCommand(page, 'Taskwarden: Show Task Output', 'Show Task Output');
    await page.locator('.quick-input-widget').getByRole('option').filter({ hasText: TASK_NAME }).first().click();
    const lines = await waitFor(
      async () => {
        const shown = await outputLines(page);
        const steps = shown.flatMap((line) => /^\[\d+\] step (\d)$/.exec(line)?.[1] ?? []);
        return steps.join(' ') === '1 2 3 4 5 6 7 8' && shown;
      },
      { timeoutMs: UI_TIMEOUT_MS, description: 'the stdout of the task in its output channel' },
    );
    assert.ok(
      lines.some((line) => /^── task \d+ ended: exit 0 ──$/.test(line)),
      `a note says how it ended: ${lines.join(' | ')}`,
    );
    assert.equal(await page.locator('.tab', { hasText: /^\d+\.out/ }).count(), 0, 'no file is opened in an editor');
    await screenshot(page, 'output of the finished task');
  });

  test('kills a running task from the stop button of its row and records it as killed', async () => {
    const page = workbench!.page;
    await launchFromPalette(page, 'sleep 300', 'sleeper', '', '');
    const live = row(page, 'sleeper').filter({ hasNotText: 'killed' });
    await live.waitFor({ state: 'visible' });
    assert.doesNotMatch(await live.innerText(), /%/, 'a task without feedback has no progress bar');
    await live.hover();
    await live.getByRole('button', { name: 'Kill Task' }).click();
    await confirmDialog(page, { button: 'Kill', asks: /^Kill task \d+ \(sleeper\)/ });
    // The History node is still expanded from the test before: the run appears there.
    await row(page, 'sleeper')
      .filter({ hasText: 'killed' })
      .waitFor({ state: 'visible', timeout: 2 * UI_TIMEOUT_MS });
    await live.waitFor({ state: 'detached' });
    await screenshot(page, 'tasks view: a killed task in the history');
    const fromCli = JSON.parse(cli(['task', 'history', '--json'], workspace)) as TaskHistoryResult;
    assert.equal(fromCli.total, 2);
    assert.equal(fromCli.entries[0]?.name, 'sleeper');
    assert.equal(fromCli.entries[0]?.outcome, 'killed');
  });

  test('clears the history after a confirmation, and the view shows its welcome text again', async () => {
    const page = workbench!.page;
    await runCommand(page, 'Taskwarden: Clear Task History');
    await confirmDialog(page, { button: 'Clear History', asks: 'Delete the history of 2 finished tasks' });
    await tasksPane(page).getByText('No tracked tasks yet').waitFor({ state: 'visible' });
    await screenshot(page, 'tasks view: welcome text once the history is cleared');
    const fromCli = JSON.parse(cli(['task', 'history', '--json'], workspace)) as TaskHistoryResult;
    assert.equal(fromCli.total, 0);
  });
});
