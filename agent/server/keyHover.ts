/**
 * Hover documentation for every key of taskwarden.yaml that the JSON Schema
 * declares: its description there. languageFeatures.ts shows it below what
 * the parts say; a name the user chose (a daemon, a job) is theirs to explain.
 */
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { configPropertiesAt, configSchemasAt } from '../config/configSchema';
import { descriptionOf } from '../config/schemaWalk';
import { keyAt } from '../config/yamlCursor';

export function keyHover(text: string, line: number, character: number): Hover | null {
  const key = keyAt(text, line, character);
  // A name the user chose (a daemon, a queue) is the parts' to explain.
  if (!key || !configPropertiesAt(key.path.slice(0, -1)).has(String(key.path.at(-1)))) return null;
  const description = descriptionOf(configSchemasAt(key.path));
  if (!description) return null;
  return {
    contents: { kind: 'markdown', value: `\`${String(key.path.at(-1))}\`: ${description}` },
    range: { start: { line: key.line, character: key.from }, end: { line: key.line, character: key.to } },
  };
}

function markdownOf(contents: Hover['contents']): string {
  const parts = Array.isArray(contents) ? contents : [contents];
  return parts
    .map((part) => (typeof part === 'string' ? part : 'kind' in part ? part.value : `\`\`\`${part.language}\n${part.value}\n\`\`\``))
    .join('\n\n');
}

/** One hover of several (the parts' first, then the schema's), separated by rules; null for none. */
export function mergedHover(hovers: readonly (Hover | null)[]): Hover | null {
  const found = hovers.filter((hover): hover is Hover => hover !== null);
  if (found.length === 0) return null;
  if (found.length === 1) return found[0]!;
  const contents: MarkupContent = { kind: 'markdown', value: found.map((hover) => markdownOf(hover.contents)).join('\n\n---\n\n') };
  const range = found.find((hover) => hover.range)?.range;
  return range ? { contents, range } : { contents };
}
