/**
 * `events` and `onexit` of a task, resolved and checked.
 *
 * From taskforce (`_event_register`, `_make_event_target`, `stop`, `onexit`):
 * - an event's action is `command` (looked up in `commands`; `stop` falls back to
 *   the built-in stop) or `signal`; `command` wins when both are given;
 * - `self` watches the program file, `file_change` the files of `path`;
 *   `restart` / `stop` replace the stop signal when stopping to restart / to stop;
 * - a `command: stop` event on a `once` or `event` task is ignored;
 * - `onexit: [{type: start, task: T}]` reruns T, which must be a `once` or `event` task.
 * Where taskforce only logs at run time (no type, unknown type, unknown command,
 * bad signal, no path, onexit on a missing task), we report it when the config
 * is loaded. `python` (restart when the Python program or a module it imports
 * changes) is followed by the runtime, which needs the files; statically we only
 * warn when the start command is a Python interpreter running no script
 * (`python -m …`, `-c …`), where the event can only watch the interpreter, as `self`.
 * (taskforce reports "not a python script" at run time.)
 */
import type { PropertyPath } from '../../config/diagnostic';
import type { FieldReader } from './fieldReader';
import { parseSignal } from './signals';
import type { DaemonEvent, EventAction, OnExitAction } from './spec';
import { closestName, didYouMeanOf } from '../../config/suggest';
import { EVENT_TYPES, isRecord, type EventType } from './types';

/** What event resolution needs to know about the task. */
export interface EventScope {
  readonly reader: FieldReader;
  readonly taskPath: PropertyPath;
  readonly control: string;
  readonly commandNames: readonly string[];
  /** The start command; argv[0] is the program `self` and `python` watch. */
  readonly argv: readonly string[];
}

/** `python3 -m pkg`, `python -c code`, `python -` or a bare `python`: an interpreter with no script file to follow. */
export function runsPythonWithoutScript(argv: readonly string[]): boolean {
  const program = argv[0]?.split('/').pop() ?? '';
  if (!/^python[\d.]*$/.test(program)) return false;
  for (let index = 1; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '-c' || arg === '-m' || arg === '-') return true;
    // Options that take a value: skip the value.
    if (arg === '-W' || arg === '-X' || arg === '-Q') index += 1;
    else if (!arg.startsWith('-')) return false;
  }
  return true;
}

function resolveAction(event: Record<string, unknown>, path: PropertyPath, type: string, scope: EventScope): EventAction | null {
  const { reader } = scope;
  const command = reader.text(event['command'], [...path, 'command']);
  if (command) {
    if (event['signal'] !== undefined) {
      reader.report({
        path: [...path, 'signal'],
        atKey: true,
        severity: 'warning',
        message: "ignored: 'command' is given too, and it takes precedence",
      });
    }
    if (command === 'stop' && (scope.control === 'once' || scope.control === 'event')) {
      reader.report({
        path: [...path, 'command'],
        severity: 'warning',
        message: `ignored: a '${scope.control}' task is never stopped by an event (as in taskforce)`,
      });
      return null;
    }
    if (scope.commandNames.includes(command)) return { kind: 'command', command };
    if (command === 'stop') return { kind: 'stop' };
    const suggestion = closestName(command, scope.commandNames);
    reader.report({
      path: [...path, 'command'],
      severity: 'error',
      ...didYouMeanOf(command, suggestion),
      message: `no command '${command}' in commands (defined: ${scope.commandNames.join(', ')}; 'stop' is built in)${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
    });
    return null;
  }
  const rawSignal = event['signal'];
  if (rawSignal === undefined || rawSignal === null) {
    const rawCommand = event['command'];
    reader.report(
      rawCommand === undefined || rawCommand === null
        ? {
            path,
            severity: 'error',
            message: `the '${type}' event has no action: add 'command' (a name from commands, or stop) or 'signal'`,
          }
        : {
            path: [...path, 'command'],
            severity: 'error',
            message: "gives no command here, and there is no 'signal': the event has no action",
          },
    );
    return null;
  }
  const signalText = typeof rawSignal === 'number' ? rawSignal : reader.text(rawSignal, [...path, 'signal']);
  const signal = parseSignal(signalText);
  if (signal.ok) return { kind: 'signal', signal: signal.value };
  reader.report({ path: [...path, 'signal'], severity: 'error', message: signal.error.message });
  return null;
}

function resolveEvent(event: unknown, path: PropertyPath, scope: EventScope): DaemonEvent | null {
  const { reader } = scope;
  if (!isRecord(event)) {
    reader.report({ path, severity: 'error', message: 'an event must be a mapping like {type: file_change, path: …, command: stop}' });
    return null;
  }
  const type = reader.text(event['type'], [...path, 'type']);
  if (!type) {
    reader.report(
      event['type'] === undefined
        ? { path, severity: 'error', message: `an event needs a 'type' (${EVENT_TYPES.join(', ')})` }
        : { path: [...path, 'type'], severity: 'error', message: `must be one of ${EVENT_TYPES.join(', ')}` },
    );
    return null;
  }
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    reader.report({
      path: [...path, 'type'],
      severity: 'error',
      message: `unknown event type '${type}' (one of ${EVENT_TYPES.join(', ')})`,
    });
    return null;
  }
  const eventType = type as EventType;
  if (eventType !== 'file_change' && event['path'] !== undefined) {
    reader.report({
      path: [...path, 'path'],
      atKey: true,
      severity: 'warning',
      message: `ignored: 'path' only applies to file_change events`,
    });
  }
  if (eventType === 'python' && runsPythonWithoutScript(scope.argv)) {
    reader.report({
      path: [...path, 'type'],
      severity: 'warning',
      message: `'${scope.argv.join(' ')}' runs no Python script file, so this event can only watch the interpreter, like 'self'`,
    });
  }
  const action = resolveAction(event, path, eventType, scope);
  if (!action) return null;
  switch (eventType) {
    case 'file_change': {
      if (event['path'] === undefined || event['path'] === null) {
        reader.report({ path, severity: 'error', message: "a file_change event needs a 'path' (a file or a list of files)" });
        return null;
      }
      const paths = [...new Set(reader.list(event['path'], [...path, 'path']).map((item) => item.text))];
      if (paths.length === 0) {
        reader.report({ path: [...path, 'path'], severity: 'warning', message: 'resolves to no file here, so this event never fires' });
        return null;
      }
      return { type: eventType, paths, action };
    }
    case 'self':
    case 'python':
      return { type: eventType, program: scope.argv[0]!, action };
    case 'restart':
    case 'stop':
      return { type: eventType, action };
    default: {
      const unreachable: never = eventType;
      return unreachable;
    }
  }
}

/** The resolved events of one instance; broken events are reported and left out. */
export function resolveEvents(raw: unknown, scope: EventScope): DaemonEvent[] {
  if (raw === undefined || raw === null) return [];
  const path = [...scope.taskPath, 'events'];
  if (!Array.isArray(raw)) {
    scope.reader.report({ path, severity: 'error', message: 'events must be a list' });
    return [];
  }
  return raw.flatMap((event, index) => resolveEvent(event, [...path, index], scope) ?? []);
}

/** What onexit checking needs to know about the other tasks. */
export interface OnExitTarget {
  /** null: not known (the task's control, or the task itself, is invalid and reported there). */
  readonly control: string | null;
  readonly excluded: 'off' | 'out_of_scope' | null;
}

/** The resolved `onexit` list; problems are reported, broken entries left out. */
export function resolveOnExit(
  raw: unknown,
  reader: FieldReader,
  taskPath: PropertyPath,
  tasks: ReadonlyMap<string, OnExitTarget>,
): OnExitAction[] {
  if (raw === undefined || raw === null) return [];
  const listPath = [...taskPath, 'onexit'];
  if (!Array.isArray(raw)) {
    reader.report({ path: listPath, severity: 'error', message: 'onexit must be a list like [{type: start, task: NAME}]' });
    return [];
  }
  const actions: OnExitAction[] = [];
  raw.forEach((entry: unknown, index) => {
    const path = [...listPath, index];
    if (!isRecord(entry))
      return reader.report({ path, severity: 'error', message: 'an onexit entry must be a mapping like {type: start, task: NAME}' });
    const type = reader.text(entry['type'], [...path, 'type']);
    if (type !== 'start') {
      return reader.report(
        type
          ? { path: [...path, 'type'], severity: 'error', message: `unknown onexit type '${type}' (taskforce only knows 'start')` }
          : entry['type'] === undefined
            ? { path, severity: 'error', message: "an onexit entry needs 'type: start'" }
            : { path: [...path, 'type'], severity: 'error', message: "must be 'start'" },
      );
    }
    const task = reader.text(entry['task'], [...path, 'task']);
    if (!task) {
      return reader.report(
        entry['task'] === undefined
          ? { path, severity: 'error', message: "an onexit 'start' entry needs the 'task' to start" }
          : { path: [...path, 'task'], severity: 'error', message: 'names no task here' },
      );
    }
    const target = tasks.get(task);
    if (!target) {
      const suggestion = closestName(task, [...tasks.keys()]);
      return reader.report({
        path: [...path, 'task'],
        severity: 'error',
        ...didYouMeanOf(task, suggestion),
        message: `'${task}' is not a task${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
      });
    }
    // An `off` target says nothing about its usual control: only warn. (The runtime skips targets without a spec.)
    if (target.excluded !== 'off' && target.control !== null && target.control !== 'once' && target.control !== 'event') {
      return reader.report({
        path: [...path, 'task'],
        severity: 'error',
        message: `onexit may only start a 'once' or 'event' task; '${task}' has control '${target.control}'`,
      });
    }
    if (target.excluded !== null) {
      reader.report({
        path: [...path, 'task'],
        severity: 'warning',
        message: `'${task}' is ${target.excluded === 'off' ? "'off'" : 'out of scope here'}, so this does nothing`,
      });
    }
    actions.push({ type: 'start', task });
  });
  return actions;
}
