/**
 * Completion items for taskwarden.yaml, built the same way wherever they come
 * from: keys and values of a JSON Schema (the config's own, a job handler's
 * params) and names a part knows (tasks in `requires`, queues, handlers).
 * Each item replaces the word under the cursor.
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Range } from 'vscode-languageserver';
import type { CursorPlace } from '../config/yamlCursor';
import { descriptionOf, typesOf, valuesOf, type SchemaAt } from '../config/schemaWalk';

/** The range of the word under the cursor. */
export function wordRange(place: CursorPlace): Range {
  return { start: { line: place.line, character: place.from }, end: { line: place.line, character: place.to } };
}

function scalarText(value: unknown): string {
  return typeof value === 'string' && /^[\w./-]+$/.test(value) && !/^(true|false|null|~|-?\d)/i.test(value) ? value : JSON.stringify(value);
}

function snippetEscape(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

/** `key: ` and what its value needs: an indented block for a mapping, a `- ` item for a list, a choice for an enum. */
function keySnippet(key: string, schemas: readonly SchemaAt[], inFlowMapping: boolean): string {
  const types = typesOf(schemas);
  const values = valuesOf(schemas);
  const name = snippetEscape(key);
  if (values.length > 0 && !types.has('object') && !types.has('array'))
    return `${name}: \${1|${values.map((value) => scalarText(value).replace(/[|,]/g, '\\$&')).join(',')}|}`;
  if (inFlowMapping) return `${name}: $0`;
  if (types.size === 1 && types.has('object')) return `${name}:\n  $0`;
  if (types.size === 1 && types.has('array')) return `${name}:\n  - $0`;
  return `${name}: $0`;
}

/** One item per key of `properties` that the mapping does not hold yet. */
export function keyCompletionItems(place: CursorPlace, properties: ReadonlyMap<string, readonly SchemaAt[]>): CompletionItem[] {
  const range = wordRange(place);
  const items: CompletionItem[] = [];
  for (const [key, schemas] of properties) {
    if (place.siblings.includes(key)) continue;
    const description = descriptionOf(schemas);
    const types = [...typesOf(schemas)];
    items.push({
      label: key,
      kind: CompletionItemKind.Property,
      ...(types.length > 0 ? { detail: types.join(' | ') } : {}),
      ...(description ? { documentation: { kind: 'markdown', value: description } } : {}),
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: keySnippet(key, schemas, place.inFlowMapping) },
    });
  }
  return items;
}

/** One item per value the schemas list (enum, const, booleans). */
export function valueCompletionItems(place: CursorPlace, schemas: readonly SchemaAt[]): CompletionItem[] {
  const range = wordRange(place);
  const description = descriptionOf(schemas);
  return valuesOf(schemas).map((value) => ({
    label: scalarText(value),
    kind: CompletionItemKind.EnumMember,
    ...(description ? { documentation: { kind: 'markdown', value: description } } : {}),
    textEdit: { range, newText: scalarText(value) },
  }));
}

/** One item per name (a task, a queue, a handler), with what it is; `asKey`: the name opens a mapping (`name:` and an indented block). */
export function nameCompletionItems(place: CursorPlace, names: Iterable<string>, detail: string, asKey = false): CompletionItem[] {
  const range = wordRange(place);
  return [...new Set(names)].map((name) => ({
    label: name,
    kind: CompletionItemKind.Reference,
    detail,
    ...(asKey
      ? {
          insertTextFormat: InsertTextFormat.Snippet,
          textEdit: { range, newText: `${snippetEscape(scalarText(name))}:${place.inFlowMapping ? ' ' : '\n  '}$0` },
        }
      : { textEdit: { range, newText: scalarText(name) } }),
  }));
}
