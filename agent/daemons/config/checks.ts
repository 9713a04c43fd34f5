/**
 * Structural checks of the daemon sections that do not depend on a context:
 * shapes, unknown task keys, a missing `commands.start`, context maps, and the
 * `settings` section. The schema (daemons.schema.json, beside this file) says much of the
 * same for the editor; these checks keep `resolveDaemons` safe and precise on
 * any input, with "did you mean" hints.
 */
import type { PathDiagnostic, PropertyPath } from '../../config/diagnostic';
import { closestName, didYouMeanOf } from '../../config/suggest';
import { isRecord, TASK_KEYS } from './types';

/** The warning for taskforce's HTTP service, which Taskwarden replaces by its socket. */
export const HTTP_SETTING_WARNING = 'Taskwarden does not open HTTP ports; control it through its socket/CLI';

function checkContextMap(map: unknown, path: PropertyPath, diagnostics: PathDiagnostic[]): void {
  if (map === undefined || map === null) return;
  if (!isRecord(map)) {
    diagnostics.push({ path, severity: 'error', message: 'must be a mapping of NAME: value' });
    return;
  }
  for (const [name, value] of Object.entries(map)) {
    if (value !== null && typeof value === 'object') {
      diagnostics.push({
        path: [...path, name],
        severity: 'error',
        message: 'a context value must be a text, a number, a boolean or null',
      });
    }
  }
}

function checkRoleMaps(maps: unknown, path: PropertyPath, allRoles: readonly string[] | null, diagnostics: PathDiagnostic[]): void {
  if (maps === undefined || maps === null) return;
  if (!isRecord(maps)) {
    diagnostics.push({ path, severity: 'error', message: 'must be a mapping of ROLE: {NAME: value}' });
    return;
  }
  for (const [role, map] of Object.entries(maps)) {
    if (allRoles && !allRoles.includes(role)) diagnostics.push(unknownRole(role, [...path, role], allRoles, true));
    checkContextMap(map, [...path, role], diagnostics);
  }
}

/** The error for a role missing from `settings.all_roles`. */
export function unknownRole(role: string, path: PropertyPath, allRoles: readonly string[], atKey = false): PathDiagnostic {
  const suggestion = closestName(role, allRoles);
  return {
    path,
    atKey,
    severity: 'error',
    ...didYouMeanOf(role, suggestion),
    message: `role '${role}' is not in settings.all_roles${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
  };
}

/** `settings.all_roles` when given as a list of texts, else null. */
export function allRolesOf(config: Readonly<Record<string, unknown>>): readonly string[] | null {
  const settings = config['settings'];
  const all = isRecord(settings) ? settings['all_roles'] : undefined;
  return Array.isArray(all) ? all.filter((role): role is string => typeof role === 'string') : null;
}

function checkSettings(settings: unknown, diagnostics: PathDiagnostic[]): void {
  if (settings === undefined || settings === null) return;
  if (!isRecord(settings)) {
    diagnostics.push({ path: ['settings'], severity: 'error', message: 'settings must be a mapping' });
    return;
  }
  if (settings['http'] !== undefined)
    diagnostics.push({ path: ['settings', 'http'], atKey: true, severity: 'warning', message: HTTP_SETTING_WARNING });
  const rolesFile = settings['roles_file'];
  if (rolesFile !== undefined && typeof rolesFile !== 'string')
    diagnostics.push({ path: ['settings', 'roles_file'], severity: 'error', message: 'must be the path of the roles file' });
  const all = settings['all_roles'];
  if (all === undefined) return;
  if (!Array.isArray(all)) {
    diagnostics.push({ path: ['settings', 'all_roles'], severity: 'error', message: 'must be a list of role names' });
    return;
  }
  all.forEach((role: unknown, index) => {
    if (typeof role !== 'string' || role.trim() === '' || /\s/.test(role))
      diagnostics.push({ path: ['settings', 'all_roles', index], severity: 'error', message: 'a role name is a text without white space' });
    else if (all.indexOf(role) !== index)
      diagnostics.push({ path: ['settings', 'all_roles', index], severity: 'warning', message: `'${role}' is listed twice` });
  });
}

function checkCommands(commands: unknown, taskPath: PropertyPath, diagnostics: PathDiagnostic[]): void {
  // Missing is reported on the task; there but wrong (even empty) where it stands.
  if (commands === undefined) {
    diagnostics.push({
      path: taskPath,
      atKey: true,
      severity: 'error',
      message: `task '${String(taskPath[1])}' has no 'commands'; commands.start is required`,
    });
    return;
  }
  if (!isRecord(commands)) {
    diagnostics.push({
      path: [...taskPath, 'commands'],
      severity: 'error',
      message: 'commands must be a mapping like {start: [program, arg, …]}',
    });
    return;
  }
  if (commands['start'] === undefined) {
    diagnostics.push({
      path: [...taskPath, 'commands'],
      atKey: true,
      severity: 'error',
      message: "commands has no 'start' (the command that runs the daemon)",
    });
  } else if (commands['start'] === null) {
    diagnostics.push({
      path: [...taskPath, 'commands', 'start'],
      severity: 'error',
      message: 'the start command is empty; write [program, arg, …]',
    });
  }
  for (const [name, command] of Object.entries(commands)) {
    if (typeof command === 'string' && /\s/.test(command.trim())) {
      diagnostics.push({
        path: [...taskPath, 'commands', name],
        severity: 'warning',
        message: 'a command written as one text is run as a single program name, without a shell; write it as a list: [program, arg, …]',
      });
    }
  }
}

function checkTask(name: string, task: unknown, allRoles: readonly string[] | null, diagnostics: PathDiagnostic[]): void {
  const path = ['tasks', name];
  if (!isRecord(task)) {
    diagnostics.push({ path, severity: 'error', message: 'a task must be a mapping with at least commands.start' });
    return;
  }
  for (const key of Object.keys(task)) {
    if (TASK_KEYS.includes(key)) continue;
    const suggestion = closestName(key, TASK_KEYS);
    diagnostics.push({
      path: [...path, key],
      atKey: true,
      severity: 'error',
      ...didYouMeanOf(key, suggestion),
      message: `unknown key '${key}' in task '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
    });
  }
  checkCommands(task['commands'], path, diagnostics);
  checkContextMap(task['defines'], [...path, 'defines'], diagnostics);
  checkContextMap(task['defaults'], [...path, 'defaults'], diagnostics);
  checkRoleMaps(task['role_defines'], [...path, 'role_defines'], allRoles, diagnostics);
  checkRoleMaps(task['role_defaults'], [...path, 'role_defaults'], allRoles, diagnostics);
}

/** Every context-free problem of the daemon sections of a config. */
export function checkDaemonSections(config: Readonly<Record<string, unknown>>): PathDiagnostic[] {
  const diagnostics: PathDiagnostic[] = [];
  const allRoles = allRolesOf(config);
  checkSettings(config['settings'], diagnostics);
  checkContextMap(config['defines'], ['defines'], diagnostics);
  checkContextMap(config['defaults'], ['defaults'], diagnostics);
  checkRoleMaps(config['role_defines'], ['role_defines'], allRoles, diagnostics);
  checkRoleMaps(config['role_defaults'], ['role_defaults'], allRoles, diagnostics);
  const tasks = config['tasks'];
  if (tasks === undefined || tasks === null) return diagnostics;
  if (!isRecord(tasks)) {
    diagnostics.push({ path: ['tasks'], severity: 'error', message: 'tasks must be a mapping of task name to definition' });
    return diagnostics;
  }
  for (const [name, task] of Object.entries(tasks)) checkTask(name, task, allRoles, diagnostics);
  return diagnostics;
}
