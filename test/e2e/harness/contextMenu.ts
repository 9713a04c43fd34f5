/**
 * A tree row's actions: the inline buttons it shows under the pointer, and its context menu.
 * Context menu: right-click, then the item. A context menu ignores a click that comes too
 * soon after it opened (seen on a loaded machine: the menu stayed open with the item highlighted),
 * so it opens the menu and clicks until the menu is gone.
 */
import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS, waitFor } from './waitFor';

/** Chooses `item` (its exact title, e.g. `'Show Task Feedback'`) in the context menu of `row`. */
export async function chooseFromContextMenu(page: Page, row: Locator, item: string): Promise<void> {
  const menuItem = page.getByRole('menuitem', { name: item, exact: true });
  let clicked = false;
  await waitFor(
    async () => {
      if (clicked && !(await menuItem.isVisible())) return true;
      if (!(await menuItem.isVisible())) await row.click({ button: 'right', timeout: 2000 });
      await menuItem.click({ timeout: 2000 }).then(
        () => (clicked = true),
        () => undefined,
      );
      return false;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 500, description: `"${item}" in the context menu of ${await row.getAttribute('aria-label')}` },
  );
}

/** The titles of the inline action buttons a row shows under the pointer, left to right. */
export async function inlineActionTitles(row: Locator): Promise<string[]> {
  await row.hover();
  const buttons = row.locator('.actions .action-label');
  await buttons.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const titles = await buttons.evaluateAll((elements) =>
    elements.map((element) => (element as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-label') ?? ''),
  );
  return titles.filter((title) => title !== '');
}
