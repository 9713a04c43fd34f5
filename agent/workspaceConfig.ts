/**
 * The config loader with every part's config section: what the agent's reload,
 * the editor's diagnostics and `taskwarden check` run. For `check` it is a
 * bundle of its own (dist/configLoader.js, see esbuild.mjs), loaded only when
 * that command runs.
 */
import type { ConfigCheck } from './config/checks';
import { loadConfig as loadWithChecks, type LoadInput, type LoadResult } from './config/loader';
import { PARTS } from './parts';

const PART_CHECKS: readonly ConfigCheck[] = PARTS.flatMap((part) => (part.config ? [part.config] : []));

/** Loads taskwarden.yaml text and checks it with every part's section. */
export function loadConfig(input: Omit<LoadInput, 'checks'>): LoadResult {
  return loadWithChecks({ ...input, checks: PART_CHECKS });
}
