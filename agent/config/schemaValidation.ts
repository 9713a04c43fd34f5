/**
 * Validates the parsed config against the JSON Schemas in `schemas/` (the same
 * files the YAML extension uses for completion) and turns Ajv's errors into
 * path diagnostics with messages a user can act on. The schemas are compiled
 * at build time (scripts/generate-schema-validator.mjs), so Ajv itself is not
 * part of the agent.
 */
import type { ErrorObject } from 'ajv';
import { configKeysAt } from './configSchema';
import type { PathDiagnostic, PropertyPath } from './diagnostic';
import { validate } from './schemaValidator.generated';
import { closestName, didYouMeanOf } from './suggest';

function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function describe(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the config';
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

/** 'a', 'a or b', 'a, b or c'. */
function oneOf(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
}

/**
 * One Ajv error as a diagnostic at its value, below `base` (the path of the
 * validated value in the config: a job's params are checked against its
 * handler's schema this way too). An unknown key gets a "did you mean" from
 * `knownKeys` (the keys the schema declares for the mapping at a path below `base`).
 */
export function ajvErrorToDiagnostic(
  error: ErrorObject,
  base: readonly (string | number)[] = [],
  knownKeys: (path: PropertyPath) => readonly string[] = () => [],
): PathDiagnostic | undefined {
  const path = [...base, ...pathOf(error.instancePath)];
  const where = describe(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const prefix = path.length === 0 ? 'unknown top-level key' : `unknown key in ${where}:`;
      const suggestion = closestName(key, knownKeys(pathOf(error.instancePath)));
      return {
        path: [...path, key],
        atKey: true,
        severity: 'error',
        ...didYouMeanOf(key, suggestion),
        message: `${prefix} '${key}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
      };
    }
    case 'required':
      return { path, atKey: true, severity: 'error', message: `${where} is missing required key '${String(params['missingProperty'])}'` };
    case 'type':
      return { path, severity: 'error', message: `${where} must be ${oneOf(String(params['type']).split(','))}` };
    case 'enum':
      return { path, severity: 'error', message: `${where} must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}` };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      // The branch errors say what is wrong; the summary adds nothing.
      return undefined;
    default:
      return { path, severity: 'error', message: `${where} ${error.message ?? 'is invalid'}` };
  }
}

/** Schema problems of a parsed config, one per offending value, in document order of paths. */
export function validateAgainstSchema(config: unknown): PathDiagnostic[] {
  if (validate(config)) return [];
  const seen = new Set<string>();
  const diagnostics: PathDiagnostic[] = [];
  for (const error of validate.errors ?? []) {
    const diagnostic = ajvErrorToDiagnostic(error, [], configKeysAt);
    if (!diagnostic) continue;
    const key = `${diagnostic.path.join('\u0000')}|${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}
