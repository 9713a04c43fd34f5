import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { daemonsSection, readRoles, resolveForHost } from '../../../agent/daemons/config/section';

/** A check context over an in-memory file system rooted at /ws. */
function contextWith(files: Record<string, string>, extra: Partial<CheckContext> = {}): CheckContext & { reads: string[] } {
  const reads: string[] = [];
  return {
    workspace: '/ws',
    environment: {},
    host: 'h',
    readFile: (path) => {
      reads.push(path);
      return files[path] ?? null;
    },
    reads,
    ...extra,
  };
}

const config = {
  settings: { roles_file: 'roles.txt' },
  tasks: {
    web: { commands: { start: ['web'] }, roles: ['frontend'], env_file: 'web.env' },
    db: { commands: { start: ['db'] }, roles: ['backend'] },
  },
};

describe('the daemons config section', () => {
  test('reads settings.roles_file relative to the workspace', () => {
    const context = contextWith({ '/ws/roles.txt': 'frontend\n' });
    assert.deepEqual(readRoles(config, context).input?.roles, ['frontend']);
    assert.deepEqual(context.reads, ['/ws/roles.txt']);
  });

  test('a roles file given on the command line wins over settings.roles_file', () => {
    const context = contextWith({ '/etc/tf_roles.conf': 'backend\n' }, { rolesFile: '/etc/tf_roles.conf' });
    assert.deepEqual(readRoles(config, context).input?.roles, ['backend']);
  });

  test('a missing roles file means no role filtering', () => {
    assert.equal(readRoles(config, contextWith({})).input, null);
  });

  test('env files named by the specs are read relative to the workspace and applied', () => {
    const context = contextWith({ '/ws/roles.txt': 'frontend\n', '/ws/web.env': 'TOKEN=abc\n' });
    const result = resolveForHost(config, context, readRoles(config, context).input);
    assert.equal(result.specs[0]?.env['TOKEN'], 'abc');
    assert.deepEqual(result.specs[0]?.envFile, { path: 'web.env', loaded: true });
    assert.ok(context.reads.includes('/ws/web.env'));
  });

  test('returns the diagnostics of resolution, and roles file problems on settings.roles_file', () => {
    const context = contextWith({ '/ws/roles.txt': 'front end\nfrontend\n', '/ws/web.env': '' });
    const broken = { ...config, tasks: { ...config.tasks, api: { commands: { start: ['api'] }, requires: 'wbe' } } };
    const { diagnostics } = daemonsSection.read(broken, context);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.path.join('.'), diagnostic.message]),
      [
        ['error', 'tasks.api.requires', "requires 'wbe', which is not a task (did you mean 'web'?)"],
        ['warning', 'settings.roles_file', "roles file line 1: role name 'front end' contains white space"],
      ],
    );
  });

  test('returns the specs to run, the tasks left out and the active roles, resolving at most twice', () => {
    const context = contextWith({ '/ws/roles.txt': 'frontend\n', '/ws/web.env': 'TOKEN=abc\n' });
    const { value } = daemonsSection.read(config, context);
    assert.deepEqual(
      value.specs.map((spec) => [spec.name, spec.env['TOKEN']]),
      [['web', 'abc']],
    );
    assert.deepEqual(value.skipped, [{ task: 'db', reason: 'out_of_scope' }]);
    assert.deepEqual(value.roles, ['frontend']);
    assert.deepEqual(context.reads, ['/ws/roles.txt', '/ws/web.env']);
  });

  test("gives the agent's pid to the specs as Task_ppid when the agent loads", () => {
    const withPid = { tasks: { web: { commands: { start: ['web', '{Task_ppid}'] } } } };
    const { value } = daemonsSection.read(withPid, contextWith({}, { agentPid: 4242 }));
    assert.deepEqual(value.specs[0]?.argv, ['web', '4242']);
  });

  test('claims the taskforce sections, so none of them is warned about as not built', () => {
    assert.deepEqual([...daemonsSection.keys].sort(), ['defaults', 'defines', 'role_defaults', 'role_defines', 'settings', 'tasks']);
  });
});
