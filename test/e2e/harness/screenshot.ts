/**
 * Screenshots are how a person checks what a user would have seen; each run keeps its own in the
 * run's artifacts folder, numbered in the order they were taken.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runArtifactsDir } from './artifacts';

let count = 0;

/** Saves a PNG of the whole page as `<nn>-<name>.png` in the run's folder and resolves with its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const file = join(runArtifactsDir(), `${String(++count).padStart(2, '0')}-${slug}.png`);
  await page.screenshot({ path: file });
  return file;
}
