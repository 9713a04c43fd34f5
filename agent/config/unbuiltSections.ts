/**
 * Sections of taskwarden.yaml whose part is not built in this version: the
 * schema's top-level sections that no part's `config.keys` claims. The schema
 * describes them already (so the editor completes them and a file that has
 * them loads), but nothing runs from them: each one present gets a warning on
 * its key, so a user is not left believing a queue or a job is set up.
 *
 * Building a part: its section's `keys` claim its sections; delete the "Not
 * built in this version" sentence from their descriptions in
 * schemas/taskwarden.schema.json.
 */
import rootSchema from '../../schemas/taskwarden.schema.json';
import type { ConfigSection } from './checks';
import type { PathDiagnostic } from './diagnostic';

/** Every top-level section the schema describes. */
export const SCHEMA_SECTIONS: readonly string[] = Object.keys(rootSchema.properties);

/** The schema's sections that none of these parts' sections claim. */
export function unbuiltSectionNames(sections: readonly ConfigSection<unknown>[]): string[] {
  const built = new Set(sections.flatMap((section) => section.keys));
  return SCHEMA_SECTIONS.filter((name) => !built.has(name));
}

/** A warning on the key of each unbuilt section the config has. */
export function unbuiltSections(config: Record<string, unknown>, sections: readonly ConfigSection<unknown>[]): PathDiagnostic[] {
  return unbuiltSectionNames(sections)
    .filter((section) => section in config)
    .map((section) => ({
      path: [section],
      atKey: true,
      severity: 'warning',
      message: `'${section}' is not built in this version: the section is checked, but nothing runs from it`,
    }));
}
