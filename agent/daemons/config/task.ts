/**
 * One task: its header (control, roles, count, requires — what decides whether
 * and how often it runs) and the spec of each of its instances.
 */
import type { PathDiagnostic, PropertyPath } from '../../config/diagnostic';
import { resolveLogs, resolveReady, resolveRestart, resolveStop } from './additions';
import { unknownRole } from './checks';
import { buildTaskContext, type HostFacts } from './context';
import type { DependencyEdge } from './dependencies';
import { resolveEnvironment, type EnvFileTexts } from './environment';
import { resolveEvents, resolveOnExit, type OnExitTarget } from './events';
import { FieldReader } from './fieldReader';
import { fingerprintOf } from './fingerprint';
import { resolveLimits } from './limits';
import { isInScope } from './roles';
import type { DaemonSpec, OnExitAction, Requirement } from './spec';
import { CONTROLS, isRecord, PLANNED_CONTROLS, type Control } from './types';

/** What decides whether a task runs here, read with instance 0's context. */
export interface TaskHeader {
  readonly name: string;
  readonly task: Readonly<Record<string, unknown>>;
  /** null: the control is unknown (reported), the task is invalid. */
  readonly control: Control | null;
  readonly roles: readonly string[];
  readonly count: number;
  readonly requires: readonly DependencyEdge[];
  readonly excluded: 'off' | 'out_of_scope' | null;
  readonly diagnostics: readonly PathDiagnostic[];
}

/** The config-wide inputs of task resolution. */
export interface TaskInputs extends HostFacts {
  readonly config: Readonly<Record<string, unknown>>;
  readonly allRoles: readonly string[] | null;
  readonly envFiles?: EnvFileTexts;
}

function readerFor(inputs: TaskInputs, name: string, task: Readonly<Record<string, unknown>>, instance: number): FieldReader {
  return new FieldReader(buildTaskContext({ ...inputs, taskName: name, task, instance }));
}

function readControl(reader: FieldReader, value: unknown, path: PropertyPath): Control | null {
  const text = reader.text(value, path);
  // Absent, or a conditional value that left nothing here: the default. Written but empty or of the wrong kind: an error.
  if ((text === undefined || text === null) && (value === undefined || isRecord(value))) return 'wait';
  if (text === undefined || text === null) {
    reader.report({ path, severity: 'error', message: `must be one of ${CONTROLS.join(', ')}` });
    return null;
  }
  if ((CONTROLS as readonly string[]).includes(text)) return text as Control;
  if ((PLANNED_CONTROLS as readonly string[]).includes(text)) {
    reader.report({ path, severity: 'warning', message: `'${text}' is planned in taskforce but was never implemented; it runs as 'wait'` });
    return 'wait';
  }
  reader.report({ path, severity: 'error', message: `unknown control '${text}' (one of ${CONTROLS.join(', ')})` });
  return null;
}

/** Read a task's header. */
export function readTaskHeader(inputs: TaskInputs, name: string, task: Readonly<Record<string, unknown>>): TaskHeader {
  const path = ['tasks', name];
  const reader = readerFor(inputs, name, task, 0);
  const control = readControl(reader, task['control'], [...path, 'control']);
  const roles = reader.list(task['roles'], [...path, 'roles']);
  if (inputs.allRoles) {
    for (const role of roles) if (!inputs.allRoles.includes(role.text)) reader.report(unknownRole(role.text, role.path, inputs.allRoles));
  }
  const count =
    reader.number(task['count'], [...path, 'count'], { integer: true, min: 0, what: 'a whole number of processes, 0 or more' }) ?? 1;
  const seen = new Set<string>();
  const requires = reader.list(task['requires'], [...path, 'requires']).flatMap((item) => {
    if (seen.has(item.text)) return [];
    seen.add(item.text);
    return [{ task: item.text, path: item.path }];
  });
  const roleNames = roles.map((role) => role.text);
  const excluded = control === 'off' ? 'off' : isInScope(roleNames, inputs.roles) ? null : 'out_of_scope';
  // Out of scope, role-specific names are legitimately missing: keep the errors, drop the "not defined" warnings.
  const diagnostics =
    excluded === 'out_of_scope' ? reader.diagnostics.filter((problem) => problem.severity === 'error') : reader.diagnostics;
  return { name, task, control, roles: roleNames, count, requires, excluded, diagnostics };
}

/** What dependents wait for, from the required task's control (see `Requirement`). */
export function requirementOf(task: string, control: Control | null): Requirement {
  return { task, waitFor: control === 'once' ? 'exited' : control === 'event' || control === 'suspend' ? 'nothing' : 'started' };
}

/** Everything an instance needs besides its header. */
export interface InstanceInputs {
  readonly requires: readonly Requirement[];
  readonly onexit: readonly OnExitAction[];
}

/** The spec of one instance, or null when it cannot run (reported). */
export function resolveInstance(
  inputs: TaskInputs,
  header: TaskHeader,
  instance: number,
  extra: InstanceInputs,
): { spec: DaemonSpec | null; diagnostics: readonly PathDiagnostic[] } {
  const { name, task } = header;
  const path = ['tasks', name];
  const reader = readerFor(inputs, name, task, instance);
  const seconds = (key: string, min: number): number | undefined =>
    reader.number(task[key], [...path, key], { min, what: 'a number of seconds, 0 or more' });

  const commands: Record<string, readonly string[]> = {};
  const rawCommands = isRecord(task['commands']) ? task['commands'] : {};
  for (const [command, value] of Object.entries(rawCommands)) {
    if (value === null || value === undefined) continue;
    const argv = reader.list(value, [...path, 'commands', command]).map((item) => item.text);
    if (argv.length > 0) commands[command] = argv;
    else
      reader.report({
        path: [...path, 'commands', command],
        severity: 'error',
        message: `the '${command}' command resolves to nothing here (every element was skipped or null)`,
      });
  }
  const argv = commands['start'];
  const control = header.control;
  if (!argv || control === null || control === 'off') return { spec: null, diagnostics: reader.diagnostics };

  const timeLimit = seconds('time_limit', 0);
  const text = (key: string): string | null => reader.text(task[key], [...path, key]) ?? null;
  const cwd = text('cwd');
  const user = text('user');
  const group = text('group');
  const argv0 = text('procname');
  const events = resolveEvents(task['events'], { reader, taskPath: path, control, commandNames: Object.keys(commands), argv });
  const environment = resolveEnvironment(reader, task, path, inputs.envFiles);
  const spec: DaemonSpec = {
    id: `${name}#${instance}`,
    name,
    instance,
    count: header.count,
    control,
    argv,
    argv0,
    commands,
    requires: extra.requires,
    startDelayMs: (seconds('start_delay', 0) ?? 0) * 1000,
    timeLimitMs: timeLimit ? timeLimit * 1000 : null,
    cwd,
    user,
    group,
    env: environment.env,
    envFile: environment.envFile,
    events,
    onexit: extra.onexit,
    pidfile: text('pidfile'),
    roles: header.roles,
    restart: resolveRestart(reader, task['restart'], [...path, 'restart']),
    ...resolveStop(reader, task, path),
    ready: resolveReady(reader, task['ready'], [...path, 'ready']),
    logs: resolveLogs(reader, task['logs'], [...path, 'logs']),
    limits: resolveLimits(reader, task['limits'], [...path, 'limits']),
    fingerprint: fingerprintOf({ argv, argv0, cwd, user, group, env: environment.env, envFile: environment.envFile }),
  };
  return { spec, diagnostics: reader.diagnostics };
}

/**
 * Resolve instance 0 of a task that runs nothing (`off`, or `count: 0`) only for
 * its diagnostics, so a config checks the same whatever is switched off.
 */
export function checkWithoutRunning(inputs: TaskInputs, header: TaskHeader): readonly PathDiagnostic[] {
  const probe: TaskHeader = { ...header, control: header.control === 'off' ? 'wait' : header.control };
  return resolveInstance(inputs, probe, 0, { requires: [], onexit: [] }).diagnostics;
}

/** The task's `onexit`, checked against the other tasks. */
export function readOnExit(
  inputs: TaskInputs,
  header: TaskHeader,
  targets: ReadonlyMap<string, OnExitTarget>,
): { onexit: OnExitAction[]; diagnostics: readonly PathDiagnostic[] } {
  const reader = readerFor(inputs, header.name, header.task, 0);
  const onexit = resolveOnExit(header.task['onexit'], reader, ['tasks', header.name], targets);
  return { onexit, diagnostics: reader.diagnostics };
}
