/**
 * A tree row's inline button. It shows only while the pointer is on the row, and VS Code
 * draws a row again when its data (or a clock in it) changes, which takes the button away
 * mid-click: the pointer leaves and comes back until a click lands.
 */
import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS, waitFor } from './waitFor';

/** Hovers `row` and clicks its inline button `name`, again until the click lands. */
export async function clickRowButton(page: Page, row: Locator, name: string): Promise<void> {
  await waitFor(
    async () => {
      await page.mouse.move(0, 0);
      await row.hover();
      return row
        .getByRole('button', { name })
        .click({ timeout: 3000 })
        .then(() => true)
        .catch(() => false);
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 100, description: `a click on ${name}` },
  );
}
