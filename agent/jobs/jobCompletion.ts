/**
 * Completion in a job: its `task:` (the built-in handlers and the modules in
 * the handlers folder), the keys and values of its params from its handler's
 * JSON Schema (a user handler's as its runner read it: handlers/userSchemas.ts),
 * and queue names in a `queue` handler's `params.queue`. The hover
 * of a param key is its description in that schema.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionItem, Hover } from 'vscode-languageserver';
import { keyCompletionItems, nameCompletionItems, valueCompletionItems } from '../core/completionItems';
import type { PropertyPath } from '../config/diagnostic';
import { descriptionOf, propertiesOf, schemasAt, type JsonSchema, type SchemaAt } from '../config/schemaWalk';
import { cursorPlace, entryNames, keyAt, plainData } from '../config/yamlCursor';
import { USER_HANDLER_EXTENSIONS, userHandlerFile } from './config/jobsConfig';
import { BUILTIN_SCHEMAS } from './handlers/builtinSchemas';
import { userSchemaOf } from './handlers/userSchemas';

/** The modules in the handlers folder, by handler name. */
function userHandlers(root: string): string[] {
  try {
    return fs
      .readdirSync(root)
      .filter((file) => (USER_HANDLER_EXTENSIONS as readonly string[]).includes(path.extname(file)))
      .map((file) => path.basename(file, path.extname(file)));
  } catch {
    return [];
  }
}

/** A user handler's schema, when the agent has read it. */
function userSchemaFor(handlersRoot: string, handler: string): object | undefined {
  const file = userHandlerFile(handlersRoot, handler, { readFile: (candidate) => (fs.existsSync(candidate) ? '' : null) });
  return (file === null ? undefined : userSchemaOf(file)) ?? undefined;
}

/** The handler a job names in the text, and the schemas of its params at `below` (a path under `params`). */
function paramSchemas(
  data: Record<string, unknown>,
  job: string,
  below: PropertyPath,
  handlersRoot: string,
): { handler: string; schemas: SchemaAt[] } | null {
  const jobs = data['jobs'] as Record<string, unknown> | undefined;
  const handler = (jobs?.[job] as Record<string, unknown> | undefined)?.['task'];
  if (typeof handler !== 'string') return null;
  const schema = (BUILTIN_SCHEMAS[handler] ?? userSchemaFor(handlersRoot, handler)) as JsonSchema | undefined;
  if (!schema) return null;
  return { handler, schemas: schemasAt({ schema, document: schema }, below) };
}

export function jobCompletion(text: string, line: number, character: number, handlersRoot: string): CompletionItem[] {
  const place = cursorPlace(text, line, character);
  if (!place || place.path[0] !== 'jobs' || typeof place.path[1] !== 'string') return [];
  const [, job, section] = place.path;
  if (place.kind === 'value' && section === 'task' && place.path.length === 3)
    return [
      ...nameCompletionItems(place, Object.keys(BUILTIN_SCHEMAS), 'built-in handler'),
      ...nameCompletionItems(place, userHandlers(handlersRoot), 'handler module'),
    ];
  if (section !== 'params') return [];
  const data = plainData(text);
  const found = paramSchemas(data, job, place.path.slice(3), handlersRoot);
  if (!found) return [];
  if (place.kind === 'key') return keyCompletionItems(place, propertiesOf(found.schemas));
  if (found.handler === 'queue' && place.path.length === 4 && place.path[3] === 'queue')
    return nameCompletionItems(place, entryNames(data, 'queues'), 'queue');
  return valueCompletionItems(place, found.schemas);
}

/** The description of the param key under the cursor, from its handler's schema. */
export function paramHover(text: string, line: number, character: number, handlersRoot: string): Hover | null {
  const key = keyAt(text, line, character);
  if (!key || key.path[0] !== 'jobs' || key.path[2] !== 'params' || key.path.length < 4) return null;
  const found = paramSchemas(plainData(text), String(key.path[1]), key.path.slice(3), handlersRoot);
  const description = found ? descriptionOf(found.schemas) : undefined;
  if (!found || !description) return null;
  return { contents: { kind: 'markdown', value: `\`${String(key.path.at(-1))}\` (${found.handler} handler): ${description}` } };
}
