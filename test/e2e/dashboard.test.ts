/**
 * The dashboard in a real VS Code (code-server) in Chromium: "Taskwarden: Open
 * Dashboard" opens the webview; its plots receive points pushed by the agent
 * (read from the webview's iframe: each plot card carries its point count in
 * data-* attributes), the job timeline shows a job alternating OK and CRITICAL
 * (exit 0 / exit 2), the perf data chart has its warn/crit lines, a daemon
 * restarted from the CLI shows on the restart timeline, a queue's depth and
 * throughput and a process group's rounds are plotted, a task's progress bar
 * moves, and a screenshot is kept.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import {
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
  REPO_ROOT,
} from './harness';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'programs');

/** Exit 0 and exit 2 in turn, with a load figure over its thresholds on the CRITICAL runs. */
const FLAPPY =
  'if [ -e flag ]; then rm flag; echo "LOAD CRITICAL | load=5;1;3"; exit 2; else touch flag; echo "LOAD OK | load=0.5;1;3"; exit 0; fi';

const CONFIG = [
  'tasks:',
  `  web: {control: wait, commands: {start: [${join(FIXTURES, 'sleep-forever.sh')}]}}`,
  'jobs:',
  `  flappy: {task: command, schedule: {every: 2s}, params: {cmd: [sh, -c, '${FLAPPY}']}}`,
  'queues:',
  '  q: {}',
  'groups:',
  '  root: processhandler',
  '  interval: 1',
  '',
].join('\n');

function cli(args: readonly string[], folder: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, '-w', folder, '--no-start', ...args], { encoding: 'utf8' });
}

/** The dashboard page inside the webview's two iframes. */
function dashboard(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('#active-frame');
}

async function attribute(frame: FrameLocator, selector: string, name: string): Promise<string | null> {
  const found = frame.locator(selector);
  if ((await found.count()) === 0) return null;
  return found.first().getAttribute(name, { timeout: 2000 });
}

async function count(frame: FrameLocator, selector: string, name: string): Promise<number> {
  return Number((await attribute(frame, selector, name)) ?? 0);
}

describe('the dashboard in VS Code', { timeout: 10 * 60_000 }, () => {
  let vscode: VsCodeServer | undefined;
  let workbench: Workbench | undefined;
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'taskwarden-e2e-dashboard-')));
  const workspace = join(root, 'workspace');
  const release = join(workspace, 'release-task');

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package`);
    mkdirSync(join(workspace, 'processhandler', 'demo'), { recursive: true });
    writeFileSync(join(workspace, 'processhandler', 'demo', 'tick.js'), 'exports.main = () => undefined;\n');
    writeFileSync(join(workspace, 'taskwarden.yaml'), CONFIG);
    vscode = await startVsCode({ vsixPath: VSIX });
    workbench = await openWorkbench(vscode, workspace, { trust: true });
    // The extension starts the agent; the CLI only talks to it.
    await waitFor(() => cli(['status'], workspace).status === 0, {
      timeoutMs: 2 * UI_TIMEOUT_MS,
      description: 'the agent the extension started',
    });
  });

  after(async () => {
    writeFileSync(release, '');
    await workbench?.close();
    spawnSync(process.execPath, [CLI, 'down', '-w', workspace]);
    await vscode?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('plots receive points, the job timeline shows OK then CRITICAL, a restart and a task’s progress show', async () => {
    const page = workbench!.page;
    await runCommand(page, 'Taskwarden: Open Dashboard');
    const frame = dashboard(page);
    await frame.locator('#dashboard').waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });

    // The agent's own CPU and memory come every few seconds: the lines get points as they are pushed.
    await waitFor(async () => (await count(frame, '[data-chart="cpu"]', 'data-points')) >= 2, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the CPU plot to receive two points',
    });
    // While the dashboard is open the agent samples its processes: the daemon gets its own lines.
    await waitFor(async () => (await count(frame, '[data-chart="cpu"]', 'data-series')) >= 2, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'a CPU line for web:0 beside the agent’s',
    });
    assert.match(await frame.locator('[data-chart="memory"] .u-legend').innerText(), /web:0/);
    const memoryPoints = await count(frame, '[data-chart="memory"]', 'data-points');
    await waitFor(async () => (await count(frame, '[data-chart="memory"]', 'data-points')) > memoryPoints, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the memory plot to receive a new point while open (pushed, not reloaded)',
    });

    // The job alternates exit 0 and exit 2: its timeline row changes state.
    await waitFor(async () => (await count(frame, '[data-job="flappy"]', 'data-changes')) >= 2, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the flappy row to show two state changes',
    });
    const states = (await attribute(frame, '[data-job="flappy"]', 'data-states'))!.split(',');
    assert.ok(states.includes('0') && states.includes('2'), `flappy's states: ${states.join(',')}`);
    assert.ok((await frame.locator('[data-job="flappy"] .segment.state-critical').count()) >= 1);
    assert.ok((await frame.locator('[data-job="flappy"] .segment.state-ok').count()) >= 1);
    // Its perf data: a line with points, and the warn and crit levels in the legend.
    const perf = '[data-chart="perf:perf|flappy|load"]';
    await waitFor(async () => (await count(frame, perf, 'data-points')) >= 2, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the load perf data plot',
    });
    const legend = await frame.locator(`${perf} .u-legend`).innerText();
    assert.match(legend, /warn/);
    assert.match(legend, /crit/);

    // A daemon restarted from the command line shows on the restart timeline.
    assert.equal(cli(['restart', 'web'], workspace).status, 0);
    await waitFor(async () => (await count(frame, '[data-daemon="web:0"]', 'data-restarts')) >= 1, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the restart of web:0 on the timeline',
    });

    // Three queued items: the depth rises and falls, the finished count gives a throughput.
    // Pushed into the paused queue, they wait: the depth goes to 3, then back to 0 once resumed.
    assert.equal(cli(['queue', 'pause', 'q'], workspace).status, 0);
    for (let item = 0; item < 3; item++) assert.equal(cli(['queue', 'push', 'q', '--', 'sleep', '0.3'], workspace).status, 0);
    assert.equal(cli(['queue', 'resume', 'q'], workspace).status, 0);
    // The finished count: 0 when the queue was configured, then 1, 2, 3.
    await waitFor(async () => (await count(frame, '[data-chart="queueThroughput"]', 'data-points')) >= 4, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the queue throughput plot to count three finished items',
    });
    // 0 when configured, 1, 2, 3 while paused, then down to 0 (a summary may skip a step).
    assert.ok((await count(frame, '[data-chart="queueDepth"]', 'data-points')) >= 5, 'the queue depth rose and fell');
    // The group runs a round a second.
    await waitFor(async () => (await count(frame, '[data-chart="roundDuration"]', 'data-points')) >= 2, {
      timeoutMs: UI_TIMEOUT_MS,
      description: 'the group rounds plot to receive two rounds',
    });

    // A task with feedback: its progress bar fills.
    const reserved = cli(['task', 'reserve', '--name', 'build'], workspace);
    assert.equal(reserved.status, 0, reserved.stderr);
    const id = reserved.stdout.trim().split(/\s+/).at(-1)!;
    const launched = cli(
      [
        'task',
        'launch',
        '--taskid',
        id,
        '--feedpath',
        workspace,
        '--timeout',
        '120',
        '--',
        join(FIXTURES, 'feedback-progress.sh'),
        '4',
        '0.5',
        release,
      ],
      workspace,
    );
    assert.equal(launched.status, 0, launched.stderr);
    await waitFor(async () => (await attribute(frame, `[data-task="${id}"]`, 'data-progress')) === '100', {
      timeoutMs: UI_TIMEOUT_MS,
      description: `task ${id}'s progress bar to reach 100 %`,
    });

    // What the page shows is what the agent holds.
    const held = JSON.parse(cli(['stats', '--json'], workspace).stdout) as { points: { id: string; v: number[] }[] };
    assert.ok(held.points.some((points) => points.id === 'checkState|flappy' && points.v.includes(2)));
    await screenshot(page, 'dashboard: plots, job timeline, restart, task progress');
    await frame.locator('[data-chart="roundDuration"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard: scrolled to queue throughput, tasks and group rounds');
  });
});
