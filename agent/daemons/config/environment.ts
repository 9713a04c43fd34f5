/**
 * The child's environment. taskforce exports the whole context (every name with
 * a non-null value, formatted); Taskwarden then layers `env_file` and `env` on
 * top, so the lowest to highest precedence is: context < env_file < env.
 * `env` values are substituted from the context; env_file values are data.
 * An `env` value of null removes the variable (e.g. an inherited one).
 *
 * Not exported: `Task_role_<name>` (substitution only: exporting it would
 * restart every daemon whenever the roles file changes), and the runtime-only
 * names, which the context never holds.
 */
import type { PropertyPath } from '../../config/diagnostic';
import { parseDotenv } from './dotenv';
import type { FieldReader } from './fieldReader';
import { isRecord } from './types';

/** Texts of env files, keyed by the path as resolved; null = the file does not exist. */
export type EnvFileTexts = Readonly<Record<string, string | null>>;

/** The environment and the env_file that went into it. */
export interface EnvironmentResult {
  readonly env: Readonly<Record<string, string>>;
  readonly envFile: { readonly path: string; readonly loaded: boolean } | null;
}

const NOT_EXPORTED = /^Task_role_/;
const ENV_NAME = /^[^=\0]+$/;

/** Build the environment of one instance from its context, `env_file` and `env`. */
export function resolveEnvironment(
  reader: FieldReader,
  task: Readonly<Record<string, unknown>>,
  taskPath: PropertyPath,
  envFiles: EnvFileTexts | undefined,
): EnvironmentResult {
  const env: Record<string, string> = {};
  for (const [name, entry] of reader.context) {
    if (entry.value === null || NOT_EXPORTED.test(name)) continue;
    const value = entry.substitute ? reader.substituteText(entry.value, entry.path ?? taskPath) : entry.value;
    if (value !== null) env[name] = value;
  }

  let envFile: EnvironmentResult['envFile'] = null;
  const filePath = [...taskPath, 'env_file'];
  const file = task['env_file'] === undefined ? undefined : reader.text(task['env_file'], filePath);
  if (typeof file === 'string' && file !== '') {
    const text = envFiles?.[file];
    envFile = { path: file, loaded: typeof text === 'string' };
    if (text === null) reader.report({ path: filePath, severity: 'warning', message: `env file '${file}' does not exist` });
    if (typeof text === 'string') {
      const parsed = parseDotenv(text);
      for (const problem of parsed.problems)
        reader.report({ path: filePath, severity: 'warning', message: `${file}:${problem.line}: ${problem.message} (line skipped)` });
      Object.assign(env, parsed.values);
    }
  }

  const overrides = task['env'];
  if (overrides !== undefined && overrides !== null) {
    if (!isRecord(overrides)) {
      reader.report({ path: [...taskPath, 'env'], severity: 'error', message: 'env must be a mapping of NAME: value' });
    } else {
      for (const [name, value] of Object.entries(overrides)) {
        const path = [...taskPath, 'env', name];
        if (!ENV_NAME.test(name)) {
          reader.report({ path, atKey: true, severity: 'error', message: `'${name}' is not a valid environment variable name` });
          continue;
        }
        if (value !== null && typeof value === 'object') {
          reader.report({ path, severity: 'error', message: 'must be a text, a number, a boolean or null (null removes the variable)' });
          continue;
        }
        const text = value === null || value === undefined ? null : reader.substituteText(String(value as string | number | boolean), path);
        if (text === null) delete env[name];
        else env[name] = text;
      }
    }
  }
  return { env, envFile };
}
