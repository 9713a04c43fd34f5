/**
 * The entry point of the daemon config: the parsed config and the host facts
 * in, one `DaemonSpec` per process instance and the diagnostics out. Pure and
 * deterministic: the caller reads the roles file, the environment and any
 * env_file, and passes them in.
 */
import type { PathDiagnostic } from '../../config/diagnostic';
import { allRolesOf, checkDaemonSections } from './checks';
import type { HostFacts } from './context';
import { analyzeDependencies } from './dependencies';
import type { EnvFileTexts } from './environment';
import type { OnExitTarget } from './events';
import { describeRoles } from './roles';
import type { DaemonSpec, SkippedTask } from './spec';
import { checkWithoutRunning, readOnExit, readTaskHeader, requirementOf, resolveInstance, type TaskHeader, type TaskInputs } from './task';
import { isRecord } from './types';

/** What the host contributes; see `HostFacts`. */
export interface ResolveInput extends HostFacts {
  /**
   * Texts of `env_file`s keyed by their resolved path (null: missing). A spec
   * whose file is not in here has `envFile.loaded === false`; the runtime reads
   * those files and resolves again.
   */
  readonly envFiles?: EnvFileTexts;
}

/** Specs in start order, problems, the start layers, and the tasks that got no spec. */
export interface ResolveResult {
  readonly specs: readonly DaemonSpec[];
  readonly diagnostics: readonly PathDiagnostic[];
  /** Task names by start layer (see dependencies.ts). */
  readonly order: readonly (readonly string[])[];
  readonly skipped: readonly SkippedTask[];
}

function dedupe(diagnostics: readonly PathDiagnostic[]): PathDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = JSON.stringify([diagnostic.path, diagnostic.severity, diagnostic.message, diagnostic.atKey ?? false]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sharedPidfile(header: TaskHeader, specs: readonly DaemonSpec[]): PathDiagnostic[] {
  const pidfiles = new Set(specs.map((spec) => spec.pidfile));
  if (specs.length < 2 || pidfiles.size !== 1 || specs[0]!.pidfile === null) return [];
  return [
    {
      path: ['tasks', header.name, 'pidfile'],
      severity: 'warning',
      message: `all ${specs.length} instances share the pidfile '${specs[0]!.pidfile}'; include {Task_instance} to tell them apart`,
    },
  ];
}

/** Resolve the daemon sections of a config for this host. */
export function resolveDaemons(config: unknown, input: ResolveInput): ResolveResult {
  if (!isRecord(config)) {
    return {
      specs: [],
      diagnostics: [{ path: [], severity: 'error', message: 'the config must be a mapping of sections (tasks, settings, …)' }],
      order: [],
      skipped: [],
    };
  }
  const diagnostics: PathDiagnostic[] = checkDaemonSections(config);
  const rawTasks = isRecord(config['tasks']) ? config['tasks'] : {};
  const inputs: TaskInputs = { ...input, config, allRoles: allRolesOf(config) };
  const headers = Object.entries(rawTasks).flatMap(([name, task]) => (isRecord(task) ? [readTaskHeader(inputs, name, task)] : []));
  for (const header of headers) diagnostics.push(...header.diagnostics);

  const byName = new Map(headers.map((header) => [header.name, header]));
  // A task that is not a mapping is reported as such; `requires` and `onexit` naming it are not "not a task" too.
  const invalid = Object.keys(rawTasks).filter((name) => !byName.has(name));
  const dependencies = analyzeDependencies(
    [...headers, ...invalid.map((name) => ({ name, requires: [], excluded: null }))],
    describeRoles(input.roles),
  );
  diagnostics.push(...dependencies.diagnostics);
  const targets = new Map<string, OnExitTarget>([
    ...headers.map((header): [string, OnExitTarget] => [header.name, { control: header.control, excluded: header.excluded }]),
    ...invalid.map((name): [string, OnExitTarget] => [name, { control: null, excluded: null }]),
  ]);

  const specsByTask = new Map<string, DaemonSpec[]>();
  const skipped: SkippedTask[] = [];
  for (const header of headers) {
    if (header.excluded === 'out_of_scope') {
      skipped.push({ task: header.name, reason: 'out_of_scope' });
      continue;
    }
    const { onexit, diagnostics: onexitProblems } = readOnExit(inputs, header, targets);
    diagnostics.push(...onexitProblems);
    if (header.excluded === 'off' || header.count === 0) {
      diagnostics.push(...checkWithoutRunning(inputs, header));
      if (header.excluded === 'off') skipped.push({ task: header.name, reason: 'off' });
      continue;
    }
    const requires = header.requires.flatMap((edge) => {
      const target = byName.get(edge.task);
      return target ? [requirementOf(edge.task, target.control)] : [];
    });
    const specs: DaemonSpec[] = [];
    for (let instance = 0; instance < header.count; instance += 1) {
      const resolved = resolveInstance(inputs, header, instance, { requires, onexit });
      diagnostics.push(...resolved.diagnostics);
      if (resolved.spec) specs.push(resolved.spec);
    }
    if (specs.length === 0) {
      skipped.push({ task: header.name, reason: 'invalid' });
      continue;
    }
    diagnostics.push(...sharedPidfile(header, specs));
    specsByTask.set(header.name, specs);
  }

  const order = dependencies.layers.map((layer) => layer.filter((name) => byName.has(name))).filter((layer) => layer.length > 0);
  const ordered = order.flat();
  const rest = headers.map((header) => header.name).filter((name) => !ordered.includes(name));
  const specs = [...ordered, ...rest].flatMap((name) => specsByTask.get(name) ?? []);
  return { specs, diagnostics: dedupe(diagnostics), order, skipped };
}
