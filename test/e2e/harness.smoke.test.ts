/**
 * Proves the e2e harness end to end on a real extension: code-server installs and starts, the
 * scratch "Harness Probe" extension (see harness/probeExtension.ts) is installed from its vsix, a
 * trusted workspace shows its view container and runs its command, an untrusted one opens in
 * Restricted Mode, and stopping leaves nothing behind. It uses the probe rather than
 * dist/taskwarden.vsix so that it checks the harness alone; Taskwarden's own e2e tests use the real vsix.
 *
 * Run: node --import tsx --test test/e2e/harness.smoke.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildProbeExtension,
  leakedProcesses,
  openViewContainer,
  openWorkbench,
  PROBE,
  problemsPanelText,
  runCommand,
  screenshot,
  startVsCode,
  statusBarItem,
  waitFor,
  UI_TIMEOUT_MS,
  type VsCodeServer,
} from './harness';

describe('the e2e harness', { timeout: 15 * 60_000 }, () => {
  let probe: Awaited<ReturnType<typeof buildProbeExtension>> | undefined;
  let vscode: VsCodeServer | undefined;
  const root = mkdtempSync(join(tmpdir(), 'taskwarden-e2e-smoke-'));
  const folders = { trusted: join(root, 'trusted-project'), untrusted: join(root, 'untrusted-project') };

  before(async () => {
    for (const folder of [folders.trusted, folders.untrusted]) {
      mkdirSync(folder);
      writeFileSync(join(folder, PROBE.diagnosticFile), 'first line\nsecond line\n');
    }
    probe = await buildProbeExtension();
    // The first run on a machine installs code-server into the cache (about a minute).
    vscode = await startVsCode({ vsixPath: probe.vsixPath });
  });

  after(async () => {
    await vscode?.stop();
    probe?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test('a trusted workspace shows the extension view container and runs its command', async () => {
    assert.ok(vscode);
    const { page, close } = await openWorkbench(vscode, folders.trusted, { trust: true });
    try {
      assert.equal(await statusBarItem(page, 'Restricted Mode').count(), 0);
      const sideBar = await openViewContainer(page, PROBE.containerTitle);
      // The extension activates on startup finished: its tree fills in shortly after the view shows.
      await waitFor(async () => (await sideBar.innerText()).includes(PROBE.treeItems[1]), {
        timeoutMs: UI_TIMEOUT_MS,
        description: 'the probe tree to list its items',
      });
      for (const item of PROBE.treeItems) assert.match(await sideBar.innerText(), new RegExp(item));

      await runCommand(page, PROBE.commandTitle);
      await statusBarItem(page, PROBE.statusText).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      const rows = await waitFor(
        async () => {
          const text = await problemsPanelText(page);
          return text.some((row) => row.includes(PROBE.diagnosticMessage)) && text;
        },
        { timeoutMs: UI_TIMEOUT_MS, description: 'the Problems panel to show the probe diagnostic' },
      );
      assert.ok(
        rows.some((row) => row.includes(PROBE.diagnosticFile)),
        `rows: ${rows.join(' | ')}`,
      );
      assert.ok(
        rows.some((row) => row.includes('[Ln 2, Col 3]')),
        `rows: ${rows.join(' | ')}`,
      );
      await screenshot(page, 'trusted workspace with probe view, status item and problem');
    } finally {
      await close();
    }
  });

  test('an untrusted workspace opens in Restricted Mode without the extension', async () => {
    assert.ok(vscode);
    const { page, close } = await openWorkbench(vscode, folders.untrusted, { trust: false });
    try {
      await statusBarItem(page, 'Restricted Mode').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      // The probe does not support untrusted workspaces, so VS Code keeps it disabled.
      await page.getByRole('tab', { name: /^Explorer/ }).waitFor({ state: 'visible' });
      assert.equal(await page.getByRole('tab', { name: PROBE.containerTitle }).count(), 0);
      await screenshot(page, 'untrusted workspace in restricted mode');
    } finally {
      await close();
    }
  });

  test('stopping VS Code leaves no process and no temp folder behind', async () => {
    assert.ok(vscode);
    const { userDataDir, extensionsDir } = vscode;
    await vscode.stop();
    assert.deepEqual(leakedProcesses(), []);
    assert.equal(existsSync(userDataDir), false);
    assert.equal(existsSync(extensionsDir), false);
  });
});
