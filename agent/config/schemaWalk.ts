/**
 * Walks JSON Schemas along a property path, for the editor's help (key and
 * value completion, key hovers) and the "did you mean" of unknown keys. It
 * follows what the schemas in schemas/ and the job handlers' params schemas
 * use: `$ref` (inside a document, or to another one by its `$id`), `allOf`,
 * `anyOf`, `oneOf`, `properties`, `additionalProperties` and `items`. Pure.
 */
import type { PropertyPath } from './diagnostic';

export type JsonSchema = Readonly<Record<string, unknown>>;

/** A schema and the document its local `$ref`s (`#/definitions/…`) resolve in. */
export interface SchemaAt {
  readonly schema: JsonSchema;
  readonly document: JsonSchema;
}

/** The documents a `$ref` to another file (`other.schema.json#/…`) resolves to, by `$id`. */
export type SchemaDocuments = ReadonlyMap<string, JsonSchema>;

const MAX_REF_DEPTH = 16;

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(ref: string, from: JsonSchema, documents: SchemaDocuments): SchemaAt | undefined {
  const [file = '', fragment = ''] = ref.split('#');
  const document = file === '' ? from : documents.get(file);
  if (!document) return undefined;
  let target: unknown = document;
  for (const segment of fragment.split('/').filter((part) => part !== '')) {
    if (!isSchema(target)) return undefined;
    target = target[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isSchema(target) ? { schema: target, document } : undefined;
}

/** The schema itself, then what its `$ref` and its alternatives (allOf, anyOf, oneOf) lead to. */
export function expand(node: SchemaAt, documents: SchemaDocuments, depth = 0): SchemaAt[] {
  if (depth > MAX_REF_DEPTH) return [];
  const found: SchemaAt[] = [node];
  const ref = node.schema['$ref'];
  if (typeof ref === 'string') {
    const target = resolveRef(ref, node.document, documents);
    if (target) found.push(...expand(target, documents, depth + 1));
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const alternatives = node.schema[keyword];
    if (!Array.isArray(alternatives)) continue;
    for (const alternative of alternatives)
      if (isSchema(alternative)) found.push(...expand({ schema: alternative, document: node.document }, documents, depth + 1));
  }
  return found;
}

function child(node: SchemaAt, segment: string | number): JsonSchema | undefined {
  if (typeof segment === 'number') {
    const items = node.schema['items'];
    return isSchema(items) ? items : undefined;
  }
  const properties = node.schema['properties'];
  const declared = isSchema(properties) ? properties[segment] : undefined;
  if (isSchema(declared)) return declared;
  const additional = node.schema['additionalProperties'];
  return isSchema(additional) ? additional : undefined;
}

/** Every schema that may describe the value at `path` below `root`. */
export function schemasAt(root: SchemaAt, path: PropertyPath, documents: SchemaDocuments = new Map()): SchemaAt[] {
  let nodes = expand(root, documents);
  for (const segment of path) {
    nodes = nodes.flatMap((node) => {
      const schema = child(node, segment);
      return schema ? expand({ schema, document: node.document }, documents) : [];
    });
    if (nodes.length === 0) break;
  }
  return nodes;
}

/** The declared property names of the schemas, each with the schemas that describe its value. */
export function propertiesOf(nodes: readonly SchemaAt[], documents: SchemaDocuments = new Map()): Map<string, SchemaAt[]> {
  const properties = new Map<string, SchemaAt[]>();
  for (const node of nodes) {
    const declared = node.schema['properties'];
    if (!isSchema(declared)) continue;
    for (const [name, schema] of Object.entries(declared)) {
      if (!isSchema(schema)) continue;
      properties.set(name, [...(properties.get(name) ?? []), ...expand({ schema, document: node.document }, documents)]);
    }
  }
  return properties;
}

/** The first description (Markdown preferred) among the schemas. */
export function descriptionOf(nodes: readonly SchemaAt[]): string | undefined {
  for (const node of nodes) {
    const text = node.schema['markdownDescription'] ?? node.schema['description'];
    if (typeof text === 'string') return text;
  }
  return undefined;
}

/** The JSON types the schemas allow (`type`, or `object` for a schema with properties). */
export function typesOf(nodes: readonly SchemaAt[]): Set<string> {
  const types = new Set<string>();
  for (const node of nodes) {
    const type = node.schema['type'];
    for (const name of Array.isArray(type) ? type : [type]) if (typeof name === 'string') types.add(name);
    if (isSchema(node.schema['properties'])) types.add('object');
  }
  return types;
}

/** The values the schemas list (`enum`, `const`, or true/false for a flag). */
export function valuesOf(nodes: readonly SchemaAt[]): unknown[] {
  const values: unknown[] = [];
  for (const node of nodes) {
    const listed = node.schema['enum'];
    if (Array.isArray(listed)) values.push(...(listed as unknown[]));
    if ('const' in node.schema) values.push(node.schema['const']);
  }
  // true/false only where a flag is expected: a value that may as well be a text or a list lists nothing.
  const types = typesOf(nodes);
  if (types.has('boolean') && [...types].every((type) => type === 'boolean' || type === 'null')) values.push(true, false);
  return [...new Set(values)];
}
