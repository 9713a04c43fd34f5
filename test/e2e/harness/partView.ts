/**
 * What every view test of a part sets up and takes down: a code-server with
 * the built package, the test's workspace opened and trusted, only the part's
 * view open, and its first row shown (else the evidence is kept); then the
 * window closed, the workspace's agent and processes stopped, VS Code
 * stopped and the test's folder removed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { openWorkbench, type Workbench } from './browser';
import { CLI, VSIX } from './builtFiles';
import { startVsCode, type VsCodeServer } from './codeServer';
import { firstRowShown } from './firstRow';
import { openViewContainer, showOnlyView } from './workbench';

export interface PartViewOptions {
  /** The test's folder (removed at the end) and the workspace in it, both already written. */
  readonly root: string;
  readonly workspace: string;
  /** The view's title in the side bar. */
  readonly view: string;
  /** The row the tests start from, and how it is named in a failure. */
  readonly firstRow: (page: Page) => Locator;
  readonly what: string;
  /** The CLI listing printed when the first row never shows (`['job', 'list']`). */
  readonly listing: readonly string[];
  readonly userSettings?: Record<string, unknown>;
}

export interface PartView {
  readonly vscode: VsCodeServer;
  readonly workbench: Workbench;
  /** Takes everything down; safe to call when the setup failed halfway. */
  end(): Promise<void>;
}

export async function openPartView(options: PartViewOptions): Promise<PartView> {
  assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package`);
  let vscode: VsCodeServer | undefined;
  let workbench: Workbench | undefined;
  const end = async (): Promise<void> => {
    await workbench?.close();
    spawnSync(process.execPath, [CLI, 'down', '-w', options.workspace]);
    await vscode?.stop();
    rmSync(options.root, { recursive: true, force: true });
  };
  try {
    vscode = await startVsCode({ vsixPath: VSIX, ...(options.userSettings ? { userSettings: options.userSettings } : {}) });
    workbench = await openWorkbench(vscode, options.workspace, { trust: true });
    await openViewContainer(workbench.page, 'Taskwarden');
    await showOnlyView(workbench.page, options.view);
    await firstRowShown(workbench.page, options.firstRow(workbench.page), options.what, {
      workspace: options.workspace,
      userDataDir: vscode.userDataDir,
      cli: CLI,
      args: options.listing,
    });
    return { vscode, workbench, end };
  } catch (error: unknown) {
    await end();
    throw error;
  }
}
