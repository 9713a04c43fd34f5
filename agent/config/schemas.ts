/**
 * The JSON Schemas of taskwarden.yaml, bundled into the agent. The root schema
 * refers to one schema file per part by `$id`.
 */
import daemonsSchema from '../../schemas/daemons.schema.json';
import rootSchema from '../../schemas/taskwarden.schema.json';

export const ROOT_SCHEMA_ID = 'taskwarden.schema.json';

/** Every schema the validator needs, root first. */
export const SCHEMAS: readonly object[] = [rootSchema, daemonsSchema];
