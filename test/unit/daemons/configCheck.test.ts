import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { daemonsConfigCheck, readRoles, resolveForHost } from '../../../agent/daemons/config/configCheck';

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

describe('the daemons config check', () => {
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
    const diagnostics = daemonsConfigCheck.check(broken, context);
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.path.join('.'), d.message]),
      [
        ['error', 'tasks.api.requires', "requires 'wbe', which is not a task (did you mean 'web'?)"],
        ['warning', 'settings.roles_file', "roles file line 1: role name 'front end' contains white space"],
      ],
    );
  });

  test('is named for the loader', () => {
    assert.equal(daemonsConfigCheck.name, 'daemons');
  });
});
