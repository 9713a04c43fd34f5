/**
 * The first row a view test waits for, and what is kept when it never shows.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { runArtifactsDir } from './artifacts';
import { screenshot } from './screenshot';
import { UI_TIMEOUT_MS } from './waitFor';

/**
 * Waits for the first row a view test needs; if it never shows, keeps what tells why (a screenshot,
 * the agent's log, VS Code's logs, what `taskwarden ARGS… -w workspace` says) before the test's `after` deletes the
 * workspace, and fails with the wait's error.
 */
export async function firstRowShown(page: Page, row: Locator, what: string, evidence: Evidence): Promise<void> {
  await row.waitFor({ state: 'visible', timeout: 2 * UI_TIMEOUT_MS }).catch(async (error: unknown) => {
    await screenshot(page, `${what} never showed`);
    const log = join(evidence.workspace, '.taskwarden', 'logs', 'agent.log');
    const name = basename(dirname(evidence.workspace));
    if (existsSync(log)) copyFileSync(log, join(runArtifactsDir(), `agent-${name}.log`));
    // VS Code's own logs hold the extension's "Taskwarden" log: its connection states and slow or failed requests.
    const vscodeLogs = join(evidence.userDataDir, 'logs');
    if (existsSync(vscodeLogs)) {
      cpSync(vscodeLogs, join(runArtifactsDir(), `vscode-logs-${name}`), { recursive: true });
      for (const file of filesNamed(vscodeLogs, /Taskwarden\.log$/))
        process.stderr.write(`[e2e] ${file}:\n${readFileSync(file, 'utf8').split('\n').slice(-80).join('\n')}\n`);
    }
    const said = spawnSync(process.execPath, [evidence.cli, ...evidence.args, '-w', evidence.workspace], { encoding: 'utf8' });
    process.stderr.write(`[e2e] taskwarden ${evidence.args.join(' ')}:\n${said.stdout}${said.stderr}\n`);
    throw error;
  });
}

/** Where a failed wait's evidence comes from: the workspace, VS Code's user data, the CLI script and the listing to print. */
export interface Evidence {
  readonly workspace: string;
  /** The code-server's user data folder (its `logs/` are kept). */
  readonly userDataDir: string;
  readonly cli: string;
  readonly args: readonly string[];
}

/** The files under `folder` (at any depth) whose name matches. */
function filesNamed(folder: string, name: RegExp): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => name.test(path))
    .map((path) => join(folder, path));
}
