/**
 * The config loader with every part's config section: what the agent's reload,
 * the editor's diagnostics and `taskwarden check` run. For `check` it is a
 * bundle of its own (dist/configLoader.js, see esbuild.mjs), loaded only when
 * that command runs.
 */
import type { CheckContext, ConfigSection } from './config/checks';
import { emptyConfig as emptyWithSections, loadConfig as loadWithSections, type LoadedConfig, type LoadInput } from './config/loader';
import type { LoadResult } from './config/loadResult';
import { PARTS } from './parts';

const PART_SECTIONS: readonly ConfigSection<unknown>[] = PARTS.map((part) => part.config);

/** Loads taskwarden.yaml text and reads it with every part's section. */
export function loadConfig(input: Omit<LoadInput, 'sections'>): LoadResult {
  return loadWithSections({ ...input, sections: PART_SECTIONS });
}

/** Every part's section read from no config file at all. */
export function emptyConfig(file: string, context: CheckContext): LoadedConfig {
  return emptyWithSections(file, context, PART_SECTIONS);
}
