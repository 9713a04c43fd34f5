/**
 * The modal dialog a destructive action asks first (extension/shared/confirmAction.ts: a warning
 * whose button is the action): waits for it, checks what it asks, clicks the action's button and
 * waits until it is gone.
 */
import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './waitFor';

/** What the dialog must say, and the button to click. */
export interface ConfirmDialogOptions {
  /** The action's button, e.g. `'Stop'`, `'Kill'`. */
  readonly button: string;
  /** Text the question must contain (checked before clicking). */
  readonly asks?: string | RegExp;
}

/** Answers the open (or opening) confirmation with its action button; resolves with the question it asked. */
export async function confirmDialog(page: Page, options: ConfirmDialogOptions): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  // The message is the first line of the box's text that is not one of its buttons (their row may come first).
  const buttons = new Set((await dialog.getByRole('button').allInnerTexts()).map((text) => text.trim()));
  const text = await dialog.innerText({ timeout: UI_TIMEOUT_MS });
  const question =
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !buttons.has(line)) ?? '';
  if (options.asks !== undefined) {
    const asked = typeof options.asks === 'string' ? question.includes(options.asks) : options.asks.test(question);
    if (!asked) throw new Error(`the confirmation asks "${question}", not ${String(options.asks)}`);
  }
  await dialog.getByRole('button', { name: options.button, exact: true }).click({ timeout: UI_TIMEOUT_MS });
  await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  return question;
}
