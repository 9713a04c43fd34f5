/**
 * Completion from taskwarden.yaml's JSON Schema: the keys the mapping under
 * the cursor may hold (not those it holds already), and the values a key
 * takes (enums, booleans). The parts add the names they know.
 */
import type { CompletionItem } from 'vscode-languageserver';
import { configPropertiesAt, configSchemasAt } from '../config/configSchema';
import { cursorPlace } from '../config/yamlCursor';
import { keyCompletionItems, valueCompletionItems } from '../core/completionItems';

export function schemaCompletions(text: string, line: number, character: number): CompletionItem[] {
  const place = cursorPlace(text, line, character);
  if (!place) return [];
  if (place.kind === 'value') return valueCompletionItems(place, configSchemasAt(place.path));
  const properties = configPropertiesAt(place.path);
  // `- na` in a list of names is a value, not the first key of a mapping.
  if (properties.size === 0 && place.inListItem) return valueCompletionItems(place, configSchemasAt(place.path));
  return keyCompletionItems(place, properties);
}
