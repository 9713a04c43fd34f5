/**
 * The JSON Schema of taskwarden.yaml, read by the editor's help: the schemas at
 * a property path, their keys and descriptions. The file is composed from the
 * parts' schemas by the build (scripts/compose-config-schema.mjs) and holds them
 * all: its `$ref`s stay inside it.
 */
import rootSchema from '../../schemas/taskwarden.schema.json';
import type { PropertyPath } from './diagnostic';
import { propertiesOf, schemasAt, type JsonSchema, type SchemaAt, type SchemaDocuments } from './schemaWalk';

const ROOT: JsonSchema = rootSchema;
const DOCUMENTS: SchemaDocuments = new Map<string, JsonSchema>([[rootSchema.$id, ROOT]]);

/** Every schema of taskwarden.yaml that may describe the value at `path`. */
export function configSchemasAt(path: PropertyPath): SchemaAt[] {
  return schemasAt({ schema: ROOT, document: ROOT }, path, DOCUMENTS);
}

/** The keys the schema declares for the mapping at `path` (for "did you mean"). */
export function configKeysAt(path: PropertyPath): string[] {
  return [...propertiesOf(configSchemasAt(path), DOCUMENTS).keys()];
}

/** The declared keys of the mapping at `path`, each with the schemas of its value. */
export function configPropertiesAt(path: PropertyPath): Map<string, SchemaAt[]> {
  return propertiesOf(configSchemasAt(path), DOCUMENTS);
}
