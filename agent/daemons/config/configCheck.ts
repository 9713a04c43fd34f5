/**
 * The daemon part's config check (`daemonsModule.config`, run by the loader
 * after the schema): reads the roles file and any
 * env_file through the injected `readFile`, resolves the daemon sections for
 * this host and returns their diagnostics. Problems of the roles file itself are
 * reported on `settings.roles_file` when the config names one.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { CheckContext, ConfigCheck } from '../../config/checks';
import type { PathDiagnostic } from '../../config/diagnostic';
import { resolveDaemons, type ResolveInput } from './resolve';
import { parseRolesFile, type RolesFileProblem } from './roles';
import { isRecord } from './types';

function absolute(context: CheckContext, path: string): string {
  return isAbsolute(path) ? path : resolvePath(context.workspace, path);
}

/** The roles file: `-r FILE` first, else `settings.roles_file`; none → null (no role filtering). */
export function readRoles(
  config: Readonly<Record<string, unknown>>,
  context: CheckContext,
): { input: ResolveInput['roles']; problems: readonly RolesFileProblem[] } {
  const settings = config['settings'];
  const configured = isRecord(settings) && typeof settings['roles_file'] === 'string' ? settings['roles_file'] : undefined;
  const path = context.rolesFile ?? configured;
  const text = path === undefined ? null : context.readFile(absolute(context, path));
  if (text === null) return { input: null, problems: [] };
  const parsed = parseRolesFile(text);
  return { input: parsed.rolesFile, problems: parsed.problems };
}

/** Resolve, then read the env files the specs name (relative to the workspace) and resolve again with them. */
export function resolveForHost(
  config: Readonly<Record<string, unknown>>,
  context: CheckContext,
  roles: ResolveInput['roles'],
): ReturnType<typeof resolveDaemons> {
  const input: ResolveInput = { roles, environment: context.environment, host: context.host };
  const first = resolveDaemons(config, input);
  const paths = [...new Set(first.specs.flatMap((spec) => (spec.envFile && !spec.envFile.loaded ? [spec.envFile.path] : [])))];
  if (paths.length === 0) return first;
  const envFiles = Object.fromEntries(paths.map((path) => [path, context.readFile(absolute(context, path))]));
  return resolveDaemons(config, { ...input, envFiles });
}

/** The Daemons part module's `config` (agent/daemons/index.ts). */
export const daemonsConfigCheck: ConfigCheck = {
  name: 'daemons',
  check(config, context): PathDiagnostic[] {
    const roles = readRoles(config, context);
    const { diagnostics } = resolveForHost(config, context, roles.input);
    const rolesProblems = roles.problems.map((problem): PathDiagnostic => ({
      path: ['settings', 'roles_file'],
      severity: 'warning',
      message: `roles file line ${problem.line}: ${problem.message}`,
    }));
    const settings = config['settings'];
    return [...diagnostics, ...(isRecord(settings) && typeof settings['roles_file'] === 'string' ? rolesProblems : [])];
  },
};
