/**
 * Helpers that drive an open workbench the way a user would: the command palette, the activity
 * bar, the Problems panel and the status bar. Each waits by polling with a deadline.
 */
import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS, waitFor } from './waitFor';

const QUICK_INPUT = '.quick-input-widget';

/** Opens the command palette (F1, again until it shows) and resolves with its input. */
export async function openCommandPalette(page: Page): Promise<Locator> {
  const input = page.locator(QUICK_INPUT).locator('input.input');
  await waitFor(
    async () => {
      if (!(await input.isVisible())) await page.keyboard.press('F1');
      return input.isVisible();
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500, description: 'the command palette to open' },
  );
  return input;
}

/**
 * Runs a command by its palette title (e.g. `'Harness Probe: Say Hello'`): F1, type `>title`,
 * pick the row with exactly that label. Fails if the palette has no such command.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  const input = await openCommandPalette(page);
  await input.fill(`>${title}`);
  const row = widget.getByRole('option').filter({ has: page.locator('.label-name', { hasText: exactly(title) }) });
  await row
    .first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS })
    .catch(async () => {
      const offered = await widget.getByRole('option').allInnerTexts();
      throw new Error(`the command palette has no command "${title}"; it offers: ${offered.join(' | ') || 'nothing'}`);
    });
  await row.first().click();
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

/**
 * Shows the activity-bar view container titled `title` (a tab) and resolves with the side bar.
 * A container already shown is left as is (clicking it again would hide the side bar).
 */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  // A built-in container's name carries its keybinding: "Explorer (Ctrl+Shift+E)".
  const tab = page.getByRole('tab', { name: new RegExp(`^${escapeRegExp(title)}( \\(.*\\))?$`) });
  // Clicked again whenever it is not (or no longer) selected: the workbench may still be
  // restoring its layout, or reloading, and a click into a page that goes away is lost.
  await waitFor(
    async () => {
      if (!(await tab.isVisible())) return false;
      if ((await tab.getAttribute('aria-selected')) === 'true') return true;
      await tab.click({ timeout: 5_000 }).catch(() => undefined);
      return false;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500, description: `the "${title}" view container to be shown` },
  );
  return page.locator('#workbench\\.parts\\.sidebar');
}

/**
 * Opens the Problems panel and returns the text of its rows, top to bottom: a file row
 * (e.g. `probe.txt 1`) followed by one row per diagnostic (message, source, `[Ln 2, Col 3]`).
 * Call it inside {@link waitFor} when diagnostics may still be on their way.
 */
export async function problemsPanelText(page: Page): Promise<string[]> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await runCommand(page, 'Problems: Focus on Problems View');
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  }
  const rows = await panel.locator('.monaco-list-row').allInnerTexts();
  return rows.map((text) => text.replace(/\s+/g, ' ').trim());
}

/** The status-bar item whose text matches `text` (a substring, or a regex). */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: text });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactly(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}$`);
}

/**
 * Gives one view of the shown container the room of the side bar: every other pane of the side bar
 * collapsed, this one expanded. Each header is clicked again until it says the wanted state (a click
 * while the workbench still lays the container out, or while a view is being added, is lost), and
 * the whole arrangement is checked once more at the end, since one pane expanding can be undone by
 * the layout of another.
 */
export async function showOnlyView(page: Page, title: string): Promise<void> {
  const sideBar = page.locator('#workbench\\.parts\\.sidebar');
  const headers = sideBar.locator('.pane-header');
  const wanted = new RegExp(`^${escapeRegExp(title)}$`);
  await sideBar.locator('.pane-header h3.title', { hasText: wanted }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await waitFor(
    async () => {
      let settled = true;
      for (const header of await headers.all()) {
        // textContent, not innerText: the title is upper-cased by CSS, and innerText says it so.
        const name = ((await header.locator('h3.title').textContent()) ?? '').trim();
        const expand = wanted.test(name);
        if (((await header.getAttribute('aria-expanded')) === 'true') === expand) continue;
        settled = false;
        await header.click({ timeout: 5_000 }).catch(() => undefined);
      }
      return settled;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500, description: `the ${title} view alone to be expanded` },
  );
}
