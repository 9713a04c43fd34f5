/**
 * The daemon part's config section (`daemonsModule.config`, read by the loader
 * after the schema): reads the roles file and any env_file through the
 * injected `readFile` (the loader reads each once per load and records them as
 * the section's inputs), resolves the daemon sections for this host and
 * returns their diagnostics and the specs to run. Problems of the roles file
 * itself are reported on `settings.roles_file` when the config names one.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { CheckContext, ConfigSection, SectionReading } from '../../config/checks';
import { rolesFileInUse } from '../../config/configFiles';
import type { PathDiagnostic } from '../../config/diagnostic';
import { resolveDaemons, type ResolveInput, type ResolveResult } from './resolve';
import { parseRolesFile, type RolesFileProblem } from './roles';
import type { DaemonSpec, SkippedTask } from './spec';
import { isRecord } from './types';

/** What the Daemons part runs from: the specs for this host in start order, the tasks left out, the active roles. */
export interface DaemonsSection {
  readonly specs: readonly DaemonSpec[];
  readonly skipped: readonly SkippedTask[];
  /** Active roles in file order; null without a roles file (no role filtering). */
  readonly roles: readonly string[] | null;
}

/** The sections of taskwarden.yaml the Daemons part reads (taskforce's format). */
export const DAEMON_KEYS: readonly string[] = ['tasks', 'settings', 'defines', 'role_defines', 'defaults', 'role_defaults'];

/** The roles file: `-r FILE` first, else `settings.roles_file`; none → null (no role filtering). */
export function readRoles(
  config: Readonly<Record<string, unknown>>,
  context: CheckContext,
): { input: ResolveInput['roles']; problems: readonly RolesFileProblem[] } {
  const path = rolesFileInUse(context.workspace, context.rolesFile, config);
  const text = path === null ? null : context.readFile(path);
  if (text === null) return { input: null, problems: [] };
  const parsed = parseRolesFile(text);
  return { input: parsed.rolesFile, problems: parsed.problems };
}

/**
 * Resolve, then read the env files the specs name (relative to the workspace)
 * and resolve again with them: once without env files, once more only when a
 * spec names one.
 */
export function resolveForHost(
  config: Readonly<Record<string, unknown>>,
  context: CheckContext,
  roles: ResolveInput['roles'],
): ResolveResult {
  const input: ResolveInput = { roles, environment: context.environment, host: context.host, agentPid: context.agentPid };
  const first = resolveDaemons(config, input);
  const paths = [...new Set(first.specs.flatMap((spec) => (spec.envFile && !spec.envFile.loaded ? [spec.envFile.path] : [])))];
  if (paths.length === 0) return first;
  const envFiles = Object.fromEntries(
    paths.map((path) => [path, context.readFile(isAbsolute(path) ? path : resolvePath(context.workspace, path))]),
  );
  return resolveDaemons(config, { ...input, envFiles });
}

/** The Daemons part module's `config` (agent/daemons/index.ts). */
export const daemonsSection: ConfigSection<DaemonsSection> = {
  name: 'daemons',
  keys: DAEMON_KEYS,
  read(config, context): SectionReading<DaemonsSection> {
    const roles = readRoles(config, context);
    const resolved = resolveForHost(config, context, roles.input);
    const rolesProblems = roles.problems.map((problem): PathDiagnostic => ({
      path: ['settings', 'roles_file'],
      severity: 'warning',
      message: `roles file line ${problem.line}: ${problem.message}`,
    }));
    const settings = config['settings'];
    return {
      diagnostics: [...resolved.diagnostics, ...(isRecord(settings) && typeof settings['roles_file'] === 'string' ? rolesProblems : [])],
      value: { specs: resolved.specs, skipped: resolved.skipped, roles: roles.input ? roles.input.roles : null },
    };
  },
};
