import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveDaemons, type ResolveInput } from '../../../agent/daemons/config/resolve';
import { parseRolesFile } from '../../../agent/daemons/config/roles';
import { DEFAULT_LOG_POLICY, DEFAULT_RESTART_POLICY, type DaemonSpec } from '../../../agent/daemons/config/spec';

const host: ResolveInput = { roles: null, environment: { HOME: '/home/u' }, host: 'h' };

function one(task: Record<string, unknown>, top: Record<string, unknown> = {}, input: ResolveInput = host): DaemonSpec {
  const result = resolveDaemons({ ...top, tasks: { t: task } }, input);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.equal(result.specs.length >= 1, true, JSON.stringify(result));
  return result.specs[0]!;
}

describe('resolved spec of a task', () => {
  test('defaults: wait, one instance, SIGTERM after which SIGKILL follows in 5 s, default restart and logs', () => {
    const spec = one({ commands: { start: ['prog'] } });
    assert.equal(spec.id, 't#0');
    assert.equal(spec.control, 'wait');
    assert.equal(spec.count, 1);
    assert.equal(spec.stopSignal, 'SIGTERM');
    assert.equal(spec.stopTimeoutMs, 5000);
    assert.deepEqual(spec.restart, DEFAULT_RESTART_POLICY);
    assert.deepEqual(spec.logs, DEFAULT_LOG_POLICY);
    assert.equal(spec.ready, null);
    assert.equal(spec.timeLimitMs, null);
    assert.equal(spec.startDelayMs, 0);
    assert.deepEqual(spec.requires, []);
    assert.deepEqual(spec.roles, []);
  });

  test('count makes one spec per instance, each with its Task_instance', () => {
    const result = resolveDaemons(
      { tasks: { w: { commands: { start: ['w', '--slot={Task_instance}'] }, count: 3, procname: '{Task_name}-{Task_instance}' } } },
      host,
    );
    assert.deepEqual(
      result.specs.map((spec) => [spec.id, spec.argv[1], spec.argv0, spec.env['Task_instance']]),
      [
        ['w#0', '--slot=0', 'w-0', '0'],
        ['w#1', '--slot=1', 'w-1', '1'],
        ['w#2', '--slot=2', 'w-2', '2'],
      ],
    );
  });

  test('count 0 gives no spec and no skip entry', () => {
    const result = resolveDaemons({ tasks: { w: { commands: { start: ['w'] }, count: 0 } } }, host);
    assert.deepEqual([result.specs, result.skipped, result.order], [[], [], [['w']]]);
  });

  test('a suspended task keeps its specs so the runtime can show it; off and out-of-scope tasks are listed as skipped', () => {
    const result = resolveDaemons(
      {
        tasks: {
          s: { commands: { start: ['s'] }, control: 'suspend' },
          o: { commands: { start: ['o'] }, control: 'off' },
          r: { commands: { start: ['r'] }, roles: 'db' },
        },
      },
      { ...host, roles: parseRolesFile('web').rolesFile },
    );
    assert.deepEqual(
      result.specs.map((spec) => [spec.id, spec.control]),
      [['s#0', 'suspend']],
    );
    assert.deepEqual(result.skipped, [
      { task: 'o', reason: 'off' },
      { task: 'r', reason: 'out_of_scope' },
    ]);
  });

  test('seconds become milliseconds', () => {
    const spec = one(
      { commands: { start: ['p'] }, start_delay: 1.5, time_limit: '{LIMIT}', stop_timeout: 0.25 },
      { defines: { LIMIT: 60 } },
    );
    assert.deepEqual([spec.startDelayMs, spec.timeLimitMs, spec.stopTimeoutMs], [1500, 60_000, 250]);
  });

  test('a time_limit of 0 means no limit', () => {
    assert.equal(one({ commands: { start: ['p'] }, time_limit: 0 }).timeLimitMs, null);
  });

  test('an argument that resolves to a null value is dropped instead of breaking the command', () => {
    assert.deepEqual(one({ commands: { start: ['p', '{NOTHING}', 'x'] } }, { defaults: { NOTHING: null } }).argv, ['p', 'x']);
  });

  test('user, group and cwd may be conditional, and a null value means unchanged', () => {
    const task = { commands: { start: ['p'] }, user: { RUNAS: '{RUNAS}' }, group: '{GROUP}', cwd: '{HOME}/app' };
    const top = { defaults: { GROUP: null } };
    assert.deepEqual(((spec) => [spec.user, spec.group, spec.cwd])(one(task, top)), [null, null, '/home/u/app']);
    assert.equal(one(task, top, { ...host, environment: { RUNAS: 'www', HOME: '/h' } }).user, 'www');
  });

  test('every named command is resolved for the instance', () => {
    const spec = one({
      pidfile: '/run/{Task_name}.pid',
      commands: { start: ['d', '-p', '{Task_pidfile}'], stop: ['dctl', 'stop', '{Task_pidfile}'], reload: ['dctl', 'reload'] },
    });
    assert.deepEqual(spec.commands, { start: ['d', '-p', '/run/t.pid'], stop: ['dctl', 'stop', '/run/t.pid'], reload: ['dctl', 'reload'] });
    assert.deepEqual(spec.argv, spec.commands['start']);
  });

  test("an event naming the task's own stop command uses it rather than the built-in stop", () => {
    const spec = one({
      commands: { start: ['d'], stop: ['dctl', 'stop'] },
      events: [
        { type: 'self', command: 'stop' },
        { type: 'restart', signal: 'USR2' },
        { type: 'stop', command: 'stop' },
      ],
    });
    assert.deepEqual(spec.events, [
      { type: 'self', program: 'd', action: { kind: 'command', command: 'stop' } },
      { type: 'restart', action: { kind: 'signal', signal: 'SIGUSR2' } },
      { type: 'stop', action: { kind: 'command', command: 'stop' } },
    ]);
  });

  test('file_change paths are substituted, flattened and deduplicated', () => {
    const spec = one(
      {
        defines: { conf: '/etc/a.conf' },
        commands: { start: ['d'] },
        events: [{ type: 'file_change', path: ['{conf}', '/etc/a.conf', { EXTRA: '/etc/extra' }], command: 'stop' }],
      },
      {},
      { ...host, environment: { EXTRA: '' } },
    );
    assert.deepEqual(spec.events, [{ type: 'file_change', paths: ['/etc/a.conf', '/etc/extra'], action: { kind: 'stop' } }]);
  });

  test('the Taskwarden additions resolve to milliseconds and normalized names', () => {
    const spec = one(
      {
        commands: { start: ['d'] },
        restart: { initial_delay: 0.5, factor: 3, max_delay: 10, reset_after: 20, crash_loop: { count: 3, window: 30 } },
        stop_signal: 'int',
        ready: { exec: ['pg_isready', '-p', '{PORT}'], timeout: 12 },
        logs: { max_bytes: 2048, keep: 0 },
      },
      { defines: { PORT: 5432 } },
    );
    assert.deepEqual(spec.restart, {
      initialDelayMs: 500,
      factor: 3,
      maxDelayMs: 10_000,
      resetAfterMs: 20_000,
      crashLoop: { count: 3, windowMs: 30_000 },
    });
    assert.equal(spec.stopSignal, 'SIGINT');
    assert.deepEqual(spec.ready, { kind: 'exec', argv: ['pg_isready', '-p', '5432'], timeoutMs: 12_000 });
    assert.deepEqual(spec.logs, { maxBytes: 2048, keep: 0 });
  });

  test('restart crash_loop false disables the crash-loop limit', () => {
    assert.equal(one({ commands: { start: ['d'] }, restart: { crash_loop: false } }).restart.crashLoop, null);
  });

  test('ready probes: log patterns are not substituted, port defaults to the local host, http is substituted', () => {
    assert.deepEqual(one({ commands: { start: ['d'] }, ready: { log: 'listening on \\d{4}' } }).ready, {
      kind: 'log',
      pattern: 'listening on \\d{4}',
      timeoutMs: 30_000,
    });
    assert.deepEqual(one({ commands: { start: ['d'] }, ready: { port: '{PORT}' } }, { defines: { PORT: 8080 } }).ready, {
      kind: 'port',
      port: 8080,
      host: '127.0.0.1',
      timeoutMs: 30_000,
    });
    assert.deepEqual(
      one({ commands: { start: ['d'] }, ready: { http: 'http://localhost:{PORT}/health' } }, { defines: { PORT: 8080 } }).ready,
      { kind: 'http', url: 'http://localhost:8080/health', timeoutMs: 30_000 },
    );
  });
});

describe('environment of a daemon', () => {
  test('env overrides the context, is substituted, and null removes a variable', () => {
    const spec = one(
      { commands: { start: ['d'] }, env: { HOME: null, GREETING: 'hi {Task_name}', PORT: 80, FLAG: true } },
      { defines: { X: '1' } },
    );
    assert.equal('HOME' in spec.env, false);
    assert.equal(spec.env['GREETING'], 'hi t');
    assert.equal(spec.env['PORT'], '80');
    assert.equal(spec.env['FLAG'], 'true');
    assert.equal(spec.env['X'], '1');
  });

  test('env_file values sit between the context and env, and are data', () => {
    const task = { commands: { start: ['d'] }, env_file: '{HOME}/.env', env: { B: 'from env' } };
    const envFiles = { '/home/u/.env': 'A=from file\nB=from file\nHOME=/file/home\nT=${X}{X}\n' };
    const spec = one(task, { defines: { X: 'x' } }, { ...host, envFiles });
    assert.deepEqual(spec.envFile, { path: '/home/u/.env', loaded: true });
    assert.deepEqual([spec.env['A'], spec.env['B'], spec.env['HOME'], spec.env['T']], ['from file', 'from env', '/file/home', '${X}{X}']);
  });

  test('an env_file whose text was not supplied is marked not loaded, and the fingerprint changes once it is', () => {
    const task = { commands: { start: ['d'] }, env_file: '.env' };
    const before = one(task);
    assert.deepEqual(before.envFile, { path: '.env', loaded: false });
    const after = one(task, {}, { ...host, envFiles: { '.env': 'A=1' } });
    assert.notEqual(before.fingerprint, after.fingerprint);
  });

  test('a missing env_file and its bad lines are warnings at env_file', () => {
    const task = { t: { commands: { start: ['d'] }, env_file: '.env' } };
    const missing = resolveDaemons({ tasks: task }, { ...host, envFiles: { '.env': null } }).diagnostics;
    assert.deepEqual(
      missing.map((d) => [d.severity, d.path.join('.'), d.message]),
      [['warning', 'tasks.t.env_file', "env file '.env' does not exist"]],
    );
    const bad = resolveDaemons({ tasks: task }, { ...host, envFiles: { '.env': 'A=1\noops\n' } }).diagnostics;
    assert.deepEqual(
      bad.map((d) => [d.severity, d.path.join('.'), d.message]),
      [['warning', 'tasks.t.env_file', ".env:2: expected KEY=VALUE, found 'oops' (line skipped)"]],
    );
  });

  test('Task_role_ names are for substitution only and not exported', () => {
    const spec = one({ commands: { start: ['d', '--replica={Task_role_db}'] } }, {}, { ...host, roles: parseRolesFile('db=r2').rolesFile });
    assert.equal(spec.argv[1], '--replica=r2');
    assert.equal(
      Object.keys(spec.env).some((name) => name.startsWith('Task_role_')),
      false,
    );
  });

  test('a conditional on a role name lets a config branch on roles', () => {
    const task = { commands: { start: ['d', { Task_role_primary: '--primary' }] } };
    assert.deepEqual(one(task, {}, { ...host, roles: parseRolesFile('primary').rolesFile }).argv, ['d', '--primary']);
    assert.deepEqual(one(task, {}, { ...host, roles: parseRolesFile('replica').rolesFile }).argv, ['d']);
  });
});
