/**
 * Opens a code-server workbench in Debian's Chromium through playwright-core and answers the
 * Workspace Trust dialog, so a test starts from the state a user would be in after opening a folder.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { VsCodeServer } from './codeServer';
import { onExitCleanup } from './exitCleanup';
import { markedProcesses, RUN_MARKER_VARIABLE, signalAll } from './processes';
import { UI_TIMEOUT_MS, waitFor } from './waitFor';

/** Where Debian's `chromium` package puts the browser; `$TASKWARDEN_E2E_CHROMIUM` overrides it. */
export const CHROMIUM_PATH = process.env.TASKWARDEN_E2E_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** An open workbench page. */
export interface Workbench {
  page: Page;
  browser: Browser;
  /** Closes the browser (and kills it if closing hangs). Safe to call twice. */
  close: () => Promise<void>;
}

/** Options of {@link openWorkbench}. */
export interface OpenWorkbenchOptions {
  /** Answer the Workspace Trust dialog with "Yes, I trust" (true) or "No, I don't trust" (false). */
  trust: boolean;
}

let browserCount = 0;

/**
 * Launches Chromium, opens `folder` in the code-server `vscode`, waits for the workbench and answers
 * the Workspace Trust dialog. Always pair with `close()`.
 */
export async function openWorkbench(vscode: VsCodeServer, folder: string, options: OpenWorkbenchOptions): Promise<Workbench> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}; the e2e tests need it: run \`apt-get install -y chromium\` ` +
        '(or set TASKWARDEN_E2E_CHROMIUM to another Chromium binary).',
    );
  }
  // The marker starts with the server's run id, so stopping the server also finds a stray browser.
  const marker = `${vscode.runId}/browser-${++browserCount}`;
  const kill = (): void =>
    signalAll(
      markedProcesses(marker).map((info) => info.pid),
      'SIGKILL',
    );
  const unregister = onExitCleanup(kill);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    env: { ...process.env, [RUN_MARKER_VARIABLE]: marker },
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.race([browser.close(), new Promise((done) => setTimeout(done, 10_000).unref())]);
    kill();
    await waitFor(() => markedProcesses(marker).length === 0, {
      timeoutMs: 5000,
      description: 'Chromium to exit',
    });
    unregister();
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    // Loading the workbench is the slowest step (5-10 s idle, far more on a busy machine).
    page.setDefaultNavigationTimeout(3 * UI_TIMEOUT_MS);
    const url = `${vscode.url}?folder=${encodeURIComponent(resolve(folder))}`;
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 3 * UI_TIMEOUT_MS });
    await answerTrustDialog(page, options.trust);
    return { page, browser, close };
  } catch (error: unknown) {
    await close();
    throw error;
  }
}

/**
 * Clicks "Yes, I trust" or "No, I don't trust" in the startup trust dialog. A folder whose trust
 * was already decided in this user-data-dir gets no dialog: then the Restricted Mode indicator must
 * already match the wish.
 */
async function answerTrustDialog(page: Page, trust: boolean): Promise<void> {
  const button = page.getByRole('button', { name: trust ? /^Yes, I trust/ : /^No, I don't trust/ });
  const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' });
  const shown = await button.waitFor({ state: 'visible', timeout: 2 * UI_TIMEOUT_MS }).then(
    () => true,
    () => false,
  );
  if (shown) {
    await button.click();
    await button.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  } else if ((await restricted.isVisible()) === trust) {
    throw new Error(`no Workspace Trust dialog appeared, and the workspace is not ${trust ? 'trusted' : 'restricted'}`);
  }
  // The Restricted Mode indicator shows while the dialog is up and follows the answer a moment later.
  await waitFor(async () => (await restricted.count()) === (trust ? 0 : 1), {
    timeoutMs: UI_TIMEOUT_MS,
    description: `the Restricted Mode indicator to ${trust ? 'disappear' : 'appear'}`,
  });
}
