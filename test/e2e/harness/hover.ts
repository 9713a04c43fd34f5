/**
 * A tree row's hover. VS Code drops a hover whose row it draws again (new data came), so the
 * pointer leaves and comes back until one stays long enough to be seen.
 */
import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS, waitFor } from './waitFor';

/** Hovers `row` until a hover holding `text` shows; returns that hover's text. */
export async function rowHoverText(page: Page, row: Locator, text: string | RegExp, description: string): Promise<string> {
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: text });
  await waitFor(
    async () => {
      await page.mouse.move(0, 0);
      await row.hover();
      return hover
        .first()
        .waitFor({ state: 'visible', timeout: 3000 })
        .then(() => true)
        .catch(() => false);
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 100, description },
  );
  return hover.first().innerText();
}
