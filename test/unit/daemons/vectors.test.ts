/**
 * taskforce's own example configs, resolved as taskforce would run them. The
 * vectors are read from test/fixtures/taskforce/ when present, else from the
 * shared vectors folder next to the repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { resolveDaemons, type ResolveInput } from '../../../agent/daemons/config/resolve';
import { parseRolesFile } from '../../../agent/daemons/config/roles';
import type { DaemonSpec } from '../../../agent/daemons/config/spec';

const VECTORS = [
  join(import.meta.dirname, '../../fixtures/taskforce'),
  join(import.meta.dirname, '../../../../shared/vectors/taskforce'),
].find((folder) => existsSync(folder));

function vector(name: string): unknown {
  assert.ok(VECTORS, 'taskforce vectors not found (test/fixtures/taskforce or ../shared/vectors/taskforce)');
  return parse(readFileSync(join(VECTORS, name), 'utf8'));
}

const host: ResolveInput = { roles: null, environment: {}, host: 'tf-host' };
const withRoles = (text: string | null, environment: Record<string, string> = {}): ResolveInput => ({
  ...host,
  environment,
  roles: text === null ? null : parseRolesFile(text).rolesFile,
});
const byId = (specs: readonly DaemonSpec[], id: string): DaemonSpec => {
  const spec = specs.find((candidate) => candidate.id === id);
  assert.ok(spec, `no spec ${id}`);
  return spec;
};
const messages = (result: ReturnType<typeof resolveDaemons>) =>
  result.diagnostics.map((d) => `${d.severity} ${d.path.join('.')}: ${d.message}`);
/** Processes a `wait` control keeps running: taskforce's tests count these per role. */
const waitProcesses = (result: ReturnType<typeof resolveDaemons>) => result.specs.filter((spec) => spec.control === 'wait').length;

describe('taskforce example.conf', () => {
  const config = vector('example.conf');
  const httpWarning = 'warning settings.http: Taskwarden does not open HTTP ports; control it through its socket/CLI';

  test('without a roles file every task is in scope, in dependency layers', () => {
    const result = resolveDaemons(config, host);
    assert.deepEqual(messages(result), [httpWarning]);
    assert.deepEqual(result.order, [['timeset', 'firewall'], ['ntpd'], ['haproxy', 'httpd'], ['ws_server', 'db_server']]);
    assert.deepEqual(
      result.specs.map((spec) => spec.id),
      [
        'timeset#0',
        'firewall#0',
        'ntpd#0',
        'haproxy#0',
        'httpd#0',
        'ws_server#0',
        'ws_server#1',
        'ws_server#2',
        'ws_server#3',
        'db_server#0',
      ],
    );
    assert.deepEqual(result.skipped, []);
    // Without a roles file, role_defines do not apply: httpd uses its inside configuration.
    assert.deepEqual(byId(result.specs, 'httpd#0').argv, ['httpd', '-f', '/usr/local/etc/httpd-inside.conf']);
  });

  test("with the frontend role: haproxy, httpd (outside config) and four ws_server, as taskforce's test counts 7 processes", () => {
    const result = resolveDaemons(config, withRoles('frontend\n'));
    assert.deepEqual(messages(result), [httpWarning]);
    assert.deepEqual(result.skipped, [{ task: 'db_server', reason: 'out_of_scope' }]);
    assert.equal(waitProcesses(result), 7);
    assert.deepEqual(byId(result.specs, 'httpd#0').argv, ['httpd', '-f', '/usr/local/etc/httpd-outside.conf']);
    assert.deepEqual(byId(result.specs, 'ws_server#2').argv, [
      'ws_server',
      '-l',
      'wss://localhost:9000/',
      '-p',
      '/var/run/ws_server-2.pid',
    ]);
    assert.deepEqual(result.order, [['timeset', 'firewall'], ['ntpd'], ['haproxy', 'httpd'], ['ws_server']]);
  });

  test('with the backend role: httpd (inside config) and db_server, 3 processes', () => {
    const result = resolveDaemons(config, withRoles('backend\n'));
    assert.deepEqual(messages(result), [httpWarning]);
    assert.deepEqual(result.skipped, [
      { task: 'haproxy', reason: 'out_of_scope' },
      { task: 'ws_server', reason: 'out_of_scope' },
    ]);
    assert.equal(waitProcesses(result), 3);
    assert.deepEqual(byId(result.specs, 'httpd#0').argv, ['httpd', '-f', '/usr/local/etc/httpd-inside.conf']);
    assert.deepEqual(byId(result.specs, 'db_server#0').argv, [
      'db_server',
      '-c',
      '/usr/local/etc/db.conf',
      '-n',
      '-p',
      '/var/run/db_server.pid',
    ]);
  });

  test('with both roles: 8 processes', () => {
    assert.equal(waitProcesses(resolveDaemons(config, withRoles('frontend\nbackend\n'))), 8);
  });

  test('with an empty roles file only the tasks without roles run', () => {
    const result = resolveDaemons(config, withRoles(''));
    assert.deepEqual(
      result.specs.map((spec) => spec.id),
      ['timeset#0', 'firewall#0', 'ntpd#0'],
    );
  });

  test('the once, event and wait tasks resolve their settings', () => {
    const specs = resolveDaemons(config, host).specs;
    const timeset = byId(specs, 'timeset#0');
    assert.equal(timeset.control, 'once');
    assert.deepEqual(timeset.argv, ['ntpd', '-c', '/etc/ntp.conf', '-n', '-g', '-q']);
    assert.equal(timeset.timeLimitMs, 5000);

    const firewall = byId(specs, 'firewall#0');
    assert.equal(firewall.control, 'event');
    assert.deepEqual(firewall.events, [{ type: 'file_change', paths: ['/etc/ipfw.conf'], action: { kind: 'command', command: 'start' } }]);

    const ntpd = byId(specs, 'ntpd#0');
    assert.deepEqual(ntpd.requires, [{ task: 'timeset', waitFor: 'exited' }]);
    assert.equal(ntpd.pidfile, '/var/run/ntpd.pid');
    assert.deepEqual(ntpd.onexit, [{ type: 'start', task: 'timeset' }]);
    assert.deepEqual(ntpd.events, [{ type: 'file_change', paths: ['/etc/ntp.conf', '/etc/ntp/ntp.keys'], action: { kind: 'stop' } }]);

    const haproxy = byId(specs, 'haproxy#0');
    assert.equal(haproxy.startDelayMs, 1000);
    assert.deepEqual(haproxy.events[0], { type: 'self', program: 'haproxy', action: { kind: 'stop' } });

    const db = byId(specs, 'db_server#0');
    assert.equal(db.user, null, 'EXAMPLES_TESTUSER is a null default: no user change');
    assert.equal(db.group, null);
    assert.deepEqual(db.events[1], {
      type: 'file_change',
      paths: ['/usr/local/etc/db.conf'],
      action: { kind: 'signal', signal: 'SIGHUP' },
    });
  });

  test("ntpd's nested conditional arguments follow MINSLEEP and SLEEPRANGE", () => {
    const argv = (environment: Record<string, string>) =>
      byId(resolveDaemons(config, withRoles(null, environment)).specs, 'ntpd#0').argv.slice(8);
    assert.deepEqual(argv({}), []);
    assert.deepEqual(argv({ SLEEPRANGE: '5' }), []);
    assert.deepEqual(argv({ MINSLEEP: '3' }), ['--min-sleep', '3']);
    assert.deepEqual(argv({ MINSLEEP: '3', SLEEPRANGE: '5' }), ['--min-sleep', '3', '--sleep-range', '5']);
  });

  test('the environment overrides defaults, and defines built on them follow', () => {
    const specs = resolveDaemons(config, withRoles(null, { EXAMPLES_BASE: '/tmp/ex', EXAMPLES_TESTUSER: 'nobody', PATH: '/bin' })).specs;
    const db = byId(specs, 'db_server#0');
    assert.equal(db.user, 'nobody');
    assert.equal(db.pidfile, '/tmp/ex/var/run/db_server.pid');
    assert.equal(db.env['PATH'], '/bin');
    assert.deepEqual(byId(specs, 'firewall#0').events[0], {
      type: 'file_change',
      paths: ['/tmp/ex/etc/ipfw.conf'],
      action: { kind: 'command', command: 'start' },
    });
  });

  test("a child's environment is the whole context, resolved", () => {
    const db = byId(resolveDaemons(config, withRoles('backend\n')).specs, 'db_server#0');
    assert.equal(db.env['PATH'], '/usr/bin:/usr/sbin:/bin:/usr/local/bin:/usr/local/sbin');
    assert.equal(db.env['piddir'], '/var/run');
    assert.equal(db.env['conf'], '/usr/local/etc/db.conf');
    assert.equal(db.env['Task_name'], 'db_server');
    assert.equal(db.env['Task_instance'], '0');
    assert.equal(db.env['Task_host'], 'tf-host');
    assert.equal(db.env['Task_pidfile'], '/var/run/db_server.pid');
    assert.equal('EXAMPLES_TESTUSER' in db.env, false, 'null values are not exported');
    assert.equal('Task_role_backend' in db.env, false, 'roles are for substitution only');
  });

  test('resolving is deterministic', () => {
    assert.deepEqual(resolveDaemons(config, withRoles('frontend')), resolveDaemons(config, withRoles('frontend')));
  });
});

describe('taskforce README vectors', () => {
  test('the quick example: ntpd requires sshd, events with a single path', () => {
    const result = resolveDaemons(vector('readme_quick_example.conf'), host);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.order, [['sshd'], ['ntpd']]);
    const ntpd = byId(result.specs, 'ntpd#0');
    assert.deepEqual(ntpd.argv, ['/usr/sbin/ntpd', '-c', '/etc/ntp.conf', '-n']);
    assert.deepEqual(ntpd.requires, [{ task: 'sshd', waitFor: 'started' }]);
    assert.deepEqual(ntpd.events, [
      { type: 'self', program: '/usr/sbin/ntpd', action: { kind: 'stop' } },
      { type: 'file_change', paths: ['/etc/ntp.conf'], action: { kind: 'stop' } },
    ]);
  });

  test('the events example: a file change runs the reconfig command', () => {
    const result = resolveDaemons(vector('readme_events_reconfig_fragment.conf'), host);
    assert.deepEqual(result.diagnostics, []);
    const db = byId(result.specs, 'db_server#0');
    assert.deepEqual(db.argv, ['db_server', '-p', '/var/run/db_server.pid', '-f', '/etc/db_server.conf']);
    assert.deepEqual(db.commands['reconfig'], ['db_server_ctl', '-p', '/var/run/db_server.pid', 'reload']);
    assert.deepEqual(db.events, [
      { type: 'file_change', paths: ['/etc/db_server.conf'], action: { kind: 'command', command: 'reconfig' } },
      { type: 'self', program: 'db_server', action: { kind: 'stop' } },
    ]);
  });

  test('the sanity config resolves without problems', () => {
    const result = resolveDaemons(vector('sanity.conf'), host);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.order, [['testtask_a'], ['testtask_b']]);
    assert.deepEqual(byId(result.specs, 'testtask_b#0').argv, ['/not/a/valid/path', '-c', '/not/a/valid/config']);
  });

  test('values and lists, first example: -v only with VERBOSE defined', () => {
    const argv = (environment: Record<string, string>) =>
      byId(resolveDaemons(vector('readme_values_and_lists_1.fragment'), withRoles(null, environment)).specs, 'db_server#0').argv;
    assert.deepEqual(argv({}), ['db_server', '-p', '/var/run/db_server.pid']);
    assert.deepEqual(argv({ VERBOSE: '' }), ['db_server', '-v', '-p', '/var/run/db_server.pid']);
  });

  test('values and lists, second example: -d only with DEBUG, and the README\'s ["-l": …] is a one-pair map that never applies', () => {
    const resolve = (environment: Record<string, string>) =>
      resolveDaemons(vector('readme_values_and_lists_2.fragment'), withRoles(null, environment));
    assert.deepEqual(byId(resolve({}).specs, 'db_server#0').argv, ['db_server', '-p', '/var/run/db_server.pid']);
    assert.deepEqual(byId(resolve({ LOGFILE: '/tmp/x' }).specs, 'db_server#0').argv, ['db_server', '-p', '/var/run/db_server.pid']);
    assert.deepEqual(byId(resolve({ DEBUG: '2' }).specs, 'db_server#0').argv, ['db_server', '-d', '2', '-p', '/var/run/db_server.pid']);
    // The README promises "-l /tmp/db_server.out" here, but YAML (PyYAML as well) reads ["-l": "{LOGFILE}"] as [{"-l": "{LOGFILE}"}].
    const both = resolve({ DEBUG: '2', LOGFILE: '/tmp/db_server.out' });
    assert.deepEqual(byId(both.specs, 'db_server#0').argv, ['db_server', '-d', '2', '-p', '/var/run/db_server.pid']);
    assert.deepEqual(messages(both), [
      `warning tasks.db_server.commands.start.1.DEBUG.2.LOGFILE.0.-l: conditional key '-l' is not a context name, so its value is never used; to list two items write ["-l", …] rather than ["-l": …]`,
    ]);
  });
});
