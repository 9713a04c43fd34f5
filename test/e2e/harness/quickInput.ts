/**
 * A command's steps of quick input (showInputBox one after the other): each step is known by
 * its title, answered, and the next one waited for.
 */
import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './waitFor';

/** Answers the quick input step titled `stepTitle` with `text`, and waits for `nextTitle` (or the widget to close). */
export async function answerQuickInput(page: Page, stepTitle: string, text: string, nextTitle?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: stepTitle }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await widget.locator('input.input').fill(text);
  await page.keyboard.press('Enter');
  if (nextTitle !== undefined) await widget.locator('.quick-input-title', { hasText: nextTitle }).waitFor({ state: 'visible' });
  else await widget.waitFor({ state: 'hidden' });
}
