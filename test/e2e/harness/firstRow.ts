/**
 * The first row a view test waits for, and what is kept when it never shows.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { runArtifactsDir } from './artifacts';
import { screenshot } from './screenshot';
import { UI_TIMEOUT_MS } from './waitFor';

/**
 * Waits for the first row a view test needs; if it never shows, keeps what tells why (a screenshot,
 * the agent's log, what `taskwarden ARGS… -w workspace` says) before the test's `after` deletes the
 * workspace, and fails with the wait's error.
 */
export async function firstRowShown(page: Page, row: Locator, what: string, evidence: Evidence): Promise<void> {
  await row.waitFor({ state: 'visible', timeout: 2 * UI_TIMEOUT_MS }).catch(async (error: unknown) => {
    await screenshot(page, `${what} never showed`);
    const log = join(evidence.workspace, '.taskwarden', 'logs', 'agent.log');
    if (existsSync(log)) copyFileSync(log, join(runArtifactsDir(), `agent-${basename(dirname(evidence.workspace))}.log`));
    const said = spawnSync(process.execPath, [evidence.cli, ...evidence.args, '-w', evidence.workspace], { encoding: 'utf8' });
    process.stderr.write(`[e2e] taskwarden ${evidence.args.join(' ')}:\n${said.stdout}${said.stderr}\n`);
    throw error;
  });
}

/** Where a failed wait's evidence comes from: the workspace, the CLI script and the listing to print. */
export interface Evidence {
  readonly workspace: string;
  readonly cli: string;
  readonly args: readonly string[];
}
