// Composes the JSON Schema of taskwarden.yaml, schemas/taskwarden.schema.json,
// from agent/config/root.schema.json (title, no unknown sections), the shared
// agent/config/common.schema.json and each part's own schema,
// agent/PART/config/PART.schema.json, whose `properties` are that part's
// top-level sections. The result is one self-contained file (the editor's YAML
// extension reads it through package.json's yamlValidation, the agent's
// validator is compiled from it): every document's `definitions` go under
// `#/definitions/<document>/`, and each `$ref` is rewritten to match.
// The build writes it; it is committed so that the sources run without a build.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { partNames } from './partList.mjs';

export const COMPOSED_SCHEMA_FILE = 'schemas/taskwarden.schema.json';
const ROOT_SCHEMA_FILE = 'agent/config/root.schema.json';
const COMMON_SCHEMA_FILE = 'agent/config/common.schema.json';

/** The schema files composed, relative to the repository: the common one, then each part's that has one. */
export function configSchemaSources(root) {
  const parts = partNames(root)
    .map((part) => `agent/${part}/config/${part}.schema.json`)
    .filter((file) => existsSync(path.join(root, file)));
  return [COMMON_SCHEMA_FILE, ...parts];
}

/** `daemons.schema.json` → `daemons`. */
function documentName(id, file) {
  const match = /^([a-z][a-z0-9_-]*)\.schema\.json$/.exec(id ?? '');
  if (!match) throw new Error(`${file}: its $id must be NAME.schema.json, not ${JSON.stringify(id)}`);
  return match[1];
}

/** A copy of `schema` whose `$ref`s point into the composed file: `#/definitions/x` → `#/definitions/<document>/definitions/x`. */
function rewriteRefs(schema, document, names, file) {
  if (Array.isArray(schema)) return schema.map((item) => rewriteRefs(item, document, names, file));
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key !== '$ref' || typeof value !== 'string') {
      copy[key] = rewriteRefs(value, document, names, file);
      continue;
    }
    const [target = '', fragment = ''] = value.split('#');
    const name = target === '' ? document : names.get(target);
    if (name === undefined) throw new Error(`${file}: $ref ${value} names no composed schema (${[...names.keys()].join(', ')})`);
    if (!fragment.startsWith('/definitions/')) throw new Error(`${file}: $ref ${value} must point into definitions`);
    copy[key] = `#/definitions/${name}${fragment}`;
  }
  return copy;
}

/** The composed schema, as an object. */
export function composeConfigSchema(root) {
  const read = (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
  const sources = configSchemaSources(root).map((file) => ({ file, schema: read(file) }));
  const names = new Map(sources.map(({ file, schema }) => [schema.$id, documentName(schema.$id, file)]));
  const { $schema, $id, ...header } = read(ROOT_SCHEMA_FILE);
  const composed = {
    $schema,
    $id,
    $comment: `Composed by scripts/compose-config-schema.mjs from ${[ROOT_SCHEMA_FILE, ...sources.map(({ file }) => file)].join(', ')}. Do not edit.`,
    ...header,
    properties: {},
    definitions: {},
  };
  const owners = new Map();
  for (const { file, schema } of sources) {
    const document = names.get(schema.$id);
    for (const [section, sectionSchema] of Object.entries(schema.properties ?? {})) {
      if (owners.has(section)) throw new Error(`${file}: section '${section}' is already described by ${owners.get(section)}`);
      owners.set(section, file);
      composed.properties[section] = rewriteRefs(sectionSchema, document, names, file);
    }
    if (schema.definitions) composed.definitions[document] = { definitions: rewriteRefs(schema.definitions, document, names, file) };
  }
  return composed;
}

/** The composed schema as the file holds it. */
export function composedSchemaText(root) {
  return `${JSON.stringify(composeConfigSchema(root), null, 2)}\n`;
}
