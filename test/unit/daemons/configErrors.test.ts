import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PathDiagnostic } from '../../../agent/config/diagnostic';
import { HTTP_SETTING_WARNING } from '../../../agent/daemons/config/checks';
import { runsPythonWithoutScript } from '../../../agent/daemons/config/events';
import { resolveDaemons, type ResolveInput } from '../../../agent/daemons/config/resolve';

const host: ResolveInput = { roles: null, environment: {}, host: 'h' };

/** Resolve one task named t (plus any others) and return the problems. */
function problemsOf(t: Record<string, unknown>, others: Record<string, unknown> = {}, top: Record<string, unknown> = {}): PathDiagnostic[] {
  return [...resolveDaemons({ ...top, tasks: { t, ...others } }, host).diagnostics];
}

/** Assert exactly one problem and return it. */
function only(diagnostics: readonly PathDiagnostic[]): PathDiagnostic {
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  return diagnostics[0]!;
}

function expectProblem(
  diagnostics: readonly PathDiagnostic[],
  severity: 'error' | 'warning',
  path: readonly (string | number)[],
  message: RegExp,
  atKey?: boolean,
): void {
  const problem = only(diagnostics);
  assert.equal(problem.severity, severity);
  assert.deepEqual(problem.path, path);
  assert.match(problem.message, message);
  if (atKey !== undefined) assert.equal(problem.atKey ?? false, atKey);
}

const start = { start: ['prog'] };

describe('task structure errors', () => {
  test('a task without commands is an error on the task key', () => {
    expectProblem(problemsOf({ control: 'wait' }), 'error', ['tasks', 't'], /has no 'commands'/, true);
  });

  test('commands without start is an error on the commands key', () => {
    expectProblem(problemsOf({ commands: { stop: ['x'] } }), 'error', ['tasks', 't', 'commands'], /no 'start'/, true);
  });

  test('a start command that resolves to nothing is an error and the task gets no spec', () => {
    const result = resolveDaemons({ tasks: { t: { commands: { start: [{ NEVER: 'x' }] } } } }, host);
    expectProblem(result.diagnostics, 'error', ['tasks', 't', 'commands', 'start'], /resolves to nothing/);
    assert.deepEqual(result.skipped, [{ task: 't', reason: 'invalid' }]);
  });

  test('a command written as one text with spaces is a warning (no shell)', () => {
    expectProblem(
      problemsOf({ commands: { start: 'nginx -g daemon' } }),
      'warning',
      ['tasks', 't', 'commands', 'start'],
      /without a shell/,
    );
  });

  test('an unknown key in a task is an error on the key, with a suggestion', () => {
    expectProblem(
      problemsOf({ commands: start, requirs: ['x'] }),
      'error',
      ['tasks', 't', 'requirs'],
      /unknown key 'requirs' in task 't' \(did you mean 'requires'\?\)/,
      true,
    );
  });

  test('a task that is not a mapping is an error', () => {
    expectProblem(resolveDaemons({ tasks: { t: ['prog'] } }, host).diagnostics, 'error', ['tasks', 't'], /must be a mapping/);
  });

  test('tasks that is not a mapping, and a config that is not one, are errors', () => {
    expectProblem(resolveDaemons({ tasks: [] }, host).diagnostics, 'error', ['tasks'], /must be a mapping/);
    expectProblem(resolveDaemons('tasks', host).diagnostics, 'error', [], /must be a mapping/);
  });
});

describe('control, count and timing errors', () => {
  test('an unknown control is an error at control and the task gets no spec', () => {
    const result = resolveDaemons({ tasks: { t: { commands: start, control: 'always' } } }, host);
    expectProblem(
      result.diagnostics,
      'error',
      ['tasks', 't', 'control'],
      /unknown control 'always' \(one of wait, once, event, suspend, off\)/,
    );
    assert.deepEqual(result.skipped, [{ task: 't', reason: 'invalid' }]);
  });

  test("taskforce's planned controls nowait and adopt run as wait with a warning", () => {
    const result = resolveDaemons({ tasks: { t: { commands: start, control: 'adopt' } } }, host);
    expectProblem(result.diagnostics, 'warning', ['tasks', 't', 'control'], /never implemented; it runs as 'wait'/);
    assert.equal(result.specs[0]?.control, 'wait');
  });

  test('a count that is not a whole number is an error at count', () => {
    expectProblem(problemsOf({ commands: start, count: 1.5 }), 'error', ['tasks', 't', 'count'], /whole number/);
    expectProblem(problemsOf({ commands: start, count: -1 }), 'error', ['tasks', 't', 'count'], /whole number/);
  });

  test('start_delay and time_limit must be numbers of seconds', () => {
    expectProblem(problemsOf({ commands: start, start_delay: 'soon' }), 'error', ['tasks', 't', 'start_delay'], /seconds/);
    expectProblem(problemsOf({ commands: start, time_limit: -3 }), 'error', ['tasks', 't', 'time_limit'], /seconds/);
  });

  test('a single-valued field that expands to several values is an error', () => {
    expectProblem(problemsOf({ commands: start, cwd: ['/a', '/b'] }), 'error', ['tasks', 't', 'cwd'], /resolves to 2 values/);
  });

  test('instances sharing one pidfile get a warning', () => {
    expectProblem(
      problemsOf({ commands: start, count: 2, pidfile: '/run/t.pid' }),
      'warning',
      ['tasks', 't', 'pidfile'],
      /include \{Task_instance\}/,
    );
    assert.deepEqual(problemsOf({ commands: start, count: 2, pidfile: '/run/t-{Task_instance}.pid' }), []);
  });
});

describe('event errors', () => {
  const withEvents = (events: unknown[], extra: Record<string, unknown> = {}) =>
    problemsOf({ commands: { start: ['prog'], reload: ['prog', 'reload'] }, events, ...extra });

  test('an event without a type is an error on the event', () => {
    expectProblem(withEvents([{ command: 'stop' }]), 'error', ['tasks', 't', 'events', 0], /needs a 'type'/);
  });

  test('an unknown event type is an error at type', () => {
    expectProblem(
      withEvents([{ type: 'file_changed', command: 'stop' }]),
      'error',
      ['tasks', 't', 'events', 0, 'type'],
      /unknown event type 'file_changed'/,
    );
  });

  test('an event without command or signal is an error on the event', () => {
    expectProblem(withEvents([{ type: 'self' }]), 'error', ['tasks', 't', 'events', 0], /has no action/);
  });

  test('an event naming a command that does not exist is an error at command, with a suggestion', () => {
    expectProblem(
      withEvents([{ type: 'self', command: 'relaod' }]),
      'error',
      ['tasks', 't', 'events', 0, 'command'],
      /no command 'relaod' in commands \(defined: start, reload; 'stop' is built in\); did you mean 'reload'\?/,
    );
  });

  test("the built-in 'stop' command needs no definition", () => {
    assert.deepEqual(withEvents([{ type: 'self', command: 'stop' }]), []);
  });

  test('a bad signal name is an error at signal', () => {
    expectProblem(
      withEvents([{ type: 'file_change', path: '/etc/x', signal: 'HANGUP' }]),
      'error',
      ['tasks', 't', 'events', 0, 'signal'],
      /'HANGUP' is not a signal/,
    );
  });

  test('a file_change event without a path is an error on the event', () => {
    expectProblem(withEvents([{ type: 'file_change', command: 'stop' }]), 'error', ['tasks', 't', 'events', 0], /needs a 'path'/);
  });

  test('a file_change path that resolves to nothing here is a warning', () => {
    expectProblem(
      withEvents([{ type: 'file_change', path: [{ NEVER: '/x' }], command: 'stop' }]),
      'warning',
      ['tasks', 't', 'events', 0, 'path'],
      /never fires/,
    );
  });

  test('command and signal together: the signal is ignored with a warning', () => {
    expectProblem(
      withEvents([{ type: 'self', command: 'stop', signal: 'HUP' }]),
      'warning',
      ['tasks', 't', 'events', 0, 'signal'],
      /'command' is given too/,
      true,
    );
  });

  test("a 'stop' command event on a once task is ignored with a warning, as taskforce does", () => {
    expectProblem(
      withEvents([{ type: 'self', command: 'stop' }], { control: 'once' }),
      'warning',
      ['tasks', 't', 'events', 0, 'command'],
      /'once' task is never stopped by an event/,
    );
  });

  test('a python event is accepted, with a warning only when the interpreter runs no script file', () => {
    assert.deepEqual(withEvents([{ type: 'python', command: 'stop' }]), []);
    assert.deepEqual(problemsOf({ commands: { start: ['python3', '-u', 'app.py'] }, events: [{ type: 'python', command: 'stop' }] }), []);
    expectProblem(
      problemsOf({ commands: { start: ['/usr/bin/python3', '-m', 'http.server'] }, events: [{ type: 'python', command: 'stop' }] }),
      'warning',
      ['tasks', 't', 'events', 0, 'type'],
      /runs no Python script file, so this event can only watch the interpreter/,
    );
  });

  test('a path on an event other than file_change is ignored with a warning', () => {
    expectProblem(
      withEvents([{ type: 'self', path: '/x', command: 'stop' }]),
      'warning',
      ['tasks', 't', 'events', 0, 'path'],
      /only applies to file_change/,
      true,
    );
  });

  test('events that is not a list is an error', () => {
    expectProblem(problemsOf({ commands: start, events: { type: 'self' } }), 'error', ['tasks', 't', 'events'], /must be a list/);
  });
});

describe('onexit errors', () => {
  const others = { setup: { commands: start, control: 'once' }, web: { commands: start } };

  test('onexit may start a once task', () => {
    assert.deepEqual(problemsOf({ commands: start, onexit: [{ type: 'start', task: 'setup' }] }, others), []);
  });

  test('an onexit naming an unknown task is an error at task', () => {
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'start', task: 'setpu' }] }, others),
      'error',
      ['tasks', 't', 'onexit', 0, 'task'],
      /'setpu' is not a task \(did you mean 'setup'\?\)/,
    );
  });

  test('an onexit starting a wait task is an error', () => {
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'start', task: 'web' }] }, others),
      'error',
      ['tasks', 't', 'onexit', 0, 'task'],
      /only start a 'once' or 'event' task; 'web' has control 'wait'/,
    );
  });

  test('an unknown onexit type is an error at type', () => {
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'stop', task: 'setup' }] }, others),
      'error',
      ['tasks', 't', 'onexit', 0, 'type'],
      /unknown onexit type 'stop'/,
    );
  });

  test('an onexit entry without a task is an error on the entry', () => {
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'start' }] }, others),
      'error',
      ['tasks', 't', 'onexit', 0],
      /needs the 'task'/,
    );
  });

  test('an onexit starting a task that is off is a warning (it does nothing)', () => {
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'start', task: 'setup' }] }, { setup: { commands: start, control: 'off' } }),
      'warning',
      ['tasks', 't', 'onexit', 0, 'task'],
      /'off', so this does nothing/,
    );
  });
});

describe('Taskwarden addition errors', () => {
  test('a bad stop_signal is an error at stop_signal', () => {
    expectProblem(problemsOf({ commands: start, stop_signal: 'SIGSTOPP' }), 'error', ['tasks', 't', 'stop_signal'], /not a signal/);
  });

  test('a negative stop_timeout is an error', () => {
    expectProblem(problemsOf({ commands: start, stop_timeout: -1 }), 'error', ['tasks', 't', 'stop_timeout'], /seconds/);
  });

  test('restart values out of range are errors at their key', () => {
    expectProblem(problemsOf({ commands: start, restart: { factor: 0.5 } }), 'error', ['tasks', 't', 'restart', 'factor'], /1 or more/);
    expectProblem(
      problemsOf({ commands: start, restart: { initial_delay: 5, max_delay: 1 } }),
      'error',
      ['tasks', 't', 'restart', 'max_delay'],
      /not be below initial_delay/,
    );
    expectProblem(
      problemsOf({ commands: start, restart: { crash_loop: { count: 0 } } }),
      'error',
      ['tasks', 't', 'restart', 'crash_loop', 'count'],
      /1 or more/,
    );
  });

  test('ready needs exactly one probe', () => {
    expectProblem(problemsOf({ commands: start, ready: { timeout: 5 } }), 'error', ['tasks', 't', 'ready'], /needs one probe/);
    expectProblem(
      problemsOf({ commands: start, ready: { log: 'up', port: 80 } }),
      'error',
      ['tasks', 't', 'ready'],
      /has log and port; give exactly one/,
    );
  });

  test('ready probes are checked: regex, port range, URL', () => {
    expectProblem(
      problemsOf({ commands: start, ready: { log: '(' } }),
      'error',
      ['tasks', 't', 'ready', 'log'],
      /not a valid regular expression/,
    );
    expectProblem(problemsOf({ commands: start, ready: { port: 70000 } }), 'error', ['tasks', 't', 'ready', 'port'], /port number/);
    expectProblem(
      problemsOf({ commands: start, ready: { http: 'ftp://x' } }),
      'error',
      ['tasks', 't', 'ready', 'http'],
      /http:\/\/ or https:\/\/ URL/,
    );
  });

  test('logs values are checked', () => {
    expectProblem(problemsOf({ commands: start, logs: { max_bytes: 10 } }), 'error', ['tasks', 't', 'logs', 'max_bytes'], /1024 or more/);
  });

  test('env names and values are checked', () => {
    expectProblem(
      problemsOf({ commands: start, env: { 'A=B': 'x' } }),
      'error',
      ['tasks', 't', 'env', 'A=B'],
      /not a valid environment variable name/,
      true,
    );
    expectProblem(problemsOf({ commands: start, env: { A: ['x'] } }), 'error', ['tasks', 't', 'env', 'A'], /must be a text/);
  });
});

describe('context and settings errors', () => {
  test('a list or map as a context value is an error at its path', () => {
    expectProblem(resolveDaemons({ defines: { A: ['x'] } }, host).diagnostics, 'error', ['defines', 'A'], /context value must be/);
    expectProblem(
      problemsOf({ commands: start, role_defaults: { web: { A: { b: 1 } } } }),
      'error',
      ['tasks', 't', 'role_defaults', 'web', 'A'],
      /context value must be/,
    );
  });

  test('settings.http is accepted with a warning', () => {
    const diagnostics = resolveDaemons({ settings: { http: [{ listen: '0.0.0.0' }] } }, host).diagnostics;
    expectProblem(diagnostics, 'warning', ['settings', 'http'], /does not open HTTP ports/, true);
    assert.equal(diagnostics[0]?.message, HTTP_SETTING_WARNING);
  });

  test('with settings.all_roles, an unlisted role in a task is an error at the element', () => {
    const top = { settings: { all_roles: ['frontend', 'backend'] } };
    expectProblem(
      problemsOf({ commands: start, roles: ['frontend', 'frontnd'] }, {}, top),
      'error',
      ['tasks', 't', 'roles', 1],
      /role 'frontnd' is not in settings.all_roles \(did you mean 'frontend'\?\)/,
    );
  });

  test('with settings.all_roles, an unlisted role_defines key is an error on the key', () => {
    const top = { settings: { all_roles: ['frontend'] }, role_defines: { backend: { A: '1' } } };
    expectProblem(resolveDaemons(top, host).diagnostics, 'error', ['role_defines', 'backend'], /not in settings.all_roles/, true);
  });

  test('a substitution cycle is an error where the value is used', () => {
    const diagnostics = resolveDaemons(
      { defines: { a: '{b}', b: '{a}' }, tasks: { t: { commands: { start: ['prog', '{a}'] } } } },
      host,
    ).diagnostics;
    assert.ok(
      diagnostics.some((d) => d.severity === 'error' && d.path.join('.') === 'tasks.t.commands.start.1' && /a → b → a/.test(d.message)),
    );
  });

  test('an undefined name is a warning at the element that uses it, reported once for all instances', () => {
    expectProblem(
      problemsOf({ commands: { start: ['prog', '--conf={conff}'] }, count: 3 }),
      'warning',
      ['tasks', 't', 'commands', 'start', 1],
      /'\{conff\}' is not defined/,
    );
  });

  test('problems of a task that is off are still reported, so a config checks the same whatever is switched off', () => {
    expectProblem(
      problemsOf({ commands: start, control: 'off', stop_signal: 'NOPE' }),
      'error',
      ['tasks', 't', 'stop_signal'],
      /not a signal/,
    );
  });
});

describe('python events', () => {
  test('an interpreter running a script, with or without options, has a script to follow', () => {
    assert.equal(runsPythonWithoutScript(['python3', 'app.py']), false);
    assert.equal(runsPythonWithoutScript(['python', '-W', 'ignore', '-u', 'app.py']), false);
    assert.equal(runsPythonWithoutScript(['ws_server']), false, 'any other program may be a Python script; the runtime checks');
    assert.equal(runsPythonWithoutScript(['python3.12', '-c', 'print(1)']), true);
    assert.equal(runsPythonWithoutScript(['python3']), true);
  });
});

/**
 * The loader runs these checks on configs the schema rejected too, and drops
 * what repeats a schema error at the same place; so a value that is there but
 * wrong is reported at that value, never as missing on its owner.
 */
describe('a value that is there but wrong is reported where it stands, not as missing', () => {
  test('commands and commands.start without a value', () => {
    expectProblem(problemsOf({ commands: null }), 'error', ['tasks', 't', 'commands'], /must be a mapping/);
    expectProblem(problemsOf({ commands: { start: null } }), 'error', ['tasks', 't', 'commands', 'start'], /is empty/);
  });

  test('an event type, onexit type or onexit task that gives nothing', () => {
    const others = { setup: { commands: start, control: 'once' } };
    expectProblem(
      problemsOf({ commands: start, events: [{ type: [], command: 'stop' }] }),
      'error',
      ['tasks', 't', 'events', 0, 'type'],
      /one of/,
    );
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: null, task: 'setup' }] }, others),
      'error',
      ['tasks', 't', 'onexit', 0, 'type'],
      /'start'/,
    );
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'start', task: [] }] }, others),
      'error',
      ['tasks', 't', 'onexit', 0, 'task'],
      /no task/,
    );
  });

  test('an event command that gives nothing, with no signal', () => {
    expectProblem(
      problemsOf({ commands: start, events: [{ type: 'self', command: [] }] }),
      'error',
      ['tasks', 't', 'events', 0, 'command'],
      /no command here/,
    );
  });

  test('a ready probe without a value', () => {
    expectProblem(problemsOf({ commands: start, ready: { port: null } }), 'error', ['tasks', 't', 'ready', 'port'], /port number/);
  });

  test('a task that is not a mapping still exists for requires and onexit', () => {
    expectProblem(
      problemsOf({ commands: start, requires: 'db', onexit: [{ type: 'start', task: 'db' }] }, { db: 'oops' }),
      'error',
      ['tasks', 'db'],
      /must be a mapping/,
    );
  });

  test('an onexit target with an unknown control is not said to be a wait task', () => {
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'start', task: 'setup' }] }, { setup: { commands: start, control: 'onse' } }),
      'error',
      ['tasks', 'setup', 'control'],
      /unknown control 'onse'/,
    );
  });
});

describe('a control written without a value', () => {
  test('is an error at control, and an onexit naming the task does not call it a wait task', () => {
    expectProblem(
      problemsOf({ commands: start, onexit: [{ type: 'start', task: 'setup' }] }, { setup: { commands: start, control: null } }),
      'error',
      ['tasks', 'setup', 'control'],
      /must be one of wait, once/,
    );
  });
});
