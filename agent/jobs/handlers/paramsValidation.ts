/**
 * Checks a job's params against its handler's JSON Schema with Ajv, compiled
 * once per schema. Canopsis' schemas are draft 3 (`"required": true` on a
 * property), so those are lifted into draft 7's `required` lists first; the
 * keywords only its UI reads (`role`, `categories`, `defaultValue`…) are
 * ignored (strict: false).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { ajvErrorToDiagnostic } from '../../config/schemaValidation';
import type { PathDiagnostic, PropertyPath } from '../../config/diagnostic';
import { propertiesOf, schemasAt, type JsonSchema } from '../../config/schemaWalk';

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const compiled = new WeakMap<object, ValidateFunction | string>();

/** A copy of a schema where draft 3's `required: true` on properties becomes the parent's `required` list. */
export function liftDraft3Required(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(liftDraft3Required);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' && typeof value === 'boolean') continue;
    copy[key] = liftDraft3Required(value);
  }
  const properties = (schema as Record<string, unknown>).properties;
  if (typeof properties === 'object' && properties !== null) {
    const required = Object.entries(properties)
      .filter(([, property]) => typeof property === 'object' && property !== null && (property as { required?: unknown }).required === true)
      .map(([name]) => name);
    const existing = Array.isArray((schema as { required?: unknown }).required) ? ((schema as { required: string[] }).required ?? []) : [];
    if (required.length > 0 || existing.length > 0) copy.required = [...new Set([...existing, ...required])];
  }
  return copy;
}

/** The compiled validator of a schema, or the reason it does not compile. */
export function validatorFor(schema: object): ValidateFunction | string {
  let validator = compiled.get(schema);
  if (validator === undefined) {
    try {
      validator = ajv.compile(liftDraft3Required(schema) as object);
    } catch (error: unknown) {
      validator = `its schema does not compile: ${(error as Error).message}`;
    }
    compiled.set(schema, validator);
  }
  return validator;
}

/** The params' problems, each at its path below `base` (`['jobs', NAME, 'params']`); empty when they pass. */
export function checkParams(schema: object, params: unknown, base: PropertyPath): PathDiagnostic[] {
  const validator = validatorFor(schema);
  if (typeof validator === 'string') return [{ path: base, severity: 'error', message: `handler ${validator}` }];
  if (validator(params)) return [];
  const root = schema as JsonSchema;
  const diagnostics: PathDiagnostic[] = [];
  for (const error of validator.errors ?? []) {
    const diagnostic = ajvErrorToDiagnostic(error, base, (path) => [
      ...propertiesOf(schemasAt({ schema: root, document: root }, path)).keys(),
    ]);
    if (diagnostic) diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/** The params' problems in one line ("params.cmd must be array; …"), for the "Invalid job: …" event. */
export function paramsProblem(schema: object, params: unknown): string | null {
  const diagnostics = checkParams(schema, params, ['params']);
  if (diagnostics.length === 0) return null;
  return diagnostics.map((diagnostic) => diagnostic.message).join('; ');
}
