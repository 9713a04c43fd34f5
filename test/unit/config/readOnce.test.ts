import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext, ConfigSection } from '../../../agent/config/checks';
import { loadConfig as loadWithSections, sectionOf } from '../../../agent/config/loader';
import type { DaemonsSection } from '../../../agent/daemons/config/section';
import { daemonsModule } from '../../../agent/daemons';
import { tasksModule } from '../../../agent/tasks';
import { emptyConfig, loadConfig } from '../../../agent/workspaceConfig';

/** A check context over an in-memory file system rooted at /ws that counts every read. */
function countingContext(files: Record<string, string>, rolesFile?: string): CheckContext & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    workspace: '/ws',
    environment: {},
    host: 'h',
    rolesFile,
    readFile: (path) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return files[path] ?? null;
    },
    reads,
  };
}

const TEXT = [
  'settings: {roles_file: roles.txt}',
  'watcher: {reservation_ttl: 2}',
  'tasks:',
  '  web: {commands: {start: [web]}, env_file: web.env}',
  '  api: {commands: {start: [api]}, env_file: web.env, roles: [backend]}',
  '  db: {commands: {start: [db]}, roles: [backend], env_file: db.env}',
  '',
].join('\n');
const FILES = { '/ws/roles.txt': 'backend\n', '/ws/web.env': 'TOKEN=abc\n', '/ws/db.env': 'PORT=5432\n' };

describe('a load reads each file once', () => {
  it('reads the roles file and each env file once, however many tasks name them', () => {
    const context = countingContext(FILES);
    const result = loadConfig({ file: '/ws/taskwarden.yaml', text: TEXT, context });
    assert.equal(result.ok, true);
    assert.deepEqual(Object.fromEntries(context.reads), { '/ws/roles.txt': 1, '/ws/web.env': 1, '/ws/db.env': 1 });
  });

  it('shares the reads between sections: a second section reading the roles file does not read it again', () => {
    const context = countingContext(FILES);
    const alsoRoles: ConfigSection<string | null> = {
      name: 'roles reader',
      keys: [],
      read: (_data, sectionContext) => ({ diagnostics: [], value: sectionContext.readFile('/ws/roles.txt') }),
    };
    const result = loadWithSections({
      file: '/ws/taskwarden.yaml',
      text: TEXT,
      context,
      sections: [daemonsModule.config, tasksModule.config, alsoRoles],
    });
    assert.ok(result.ok);
    assert.equal(sectionOf(result.value.config, alsoRoles).value, 'backend\n');
    assert.deepEqual(sectionOf(result.value.config, alsoRoles).inputs, ['/ws/roles.txt']);
    assert.equal(context.reads.get('/ws/roles.txt'), 1);
  });

  it('hands each part its typed section, the files it read, the checked text and the roles file in use', () => {
    const result = loadConfig({ file: '/ws/taskwarden.yaml', text: TEXT, context: countingContext(FILES) });
    assert.ok(result.ok);
    assert.equal(result.value.config.text, TEXT);
    assert.equal(result.value.config.rolesFile, '/ws/roles.txt');
    const daemons = sectionOf(result.value.config, daemonsModule.config);
    const value: DaemonsSection = daemons.value;
    assert.deepEqual(
      value.specs.map((spec) => [spec.name, spec.env['TOKEN'] ?? spec.env['PORT']]),
      [
        ['web', 'abc'],
        ['api', 'abc'],
        ['db', '5432'],
      ],
    );
    assert.deepEqual(value.roles, ['backend']);
    assert.deepEqual([...daemons.inputs].sort(), ['/ws/db.env', '/ws/roles.txt', '/ws/web.env']);
    const tasks = sectionOf(result.value.config, tasksModule.config);
    assert.equal(tasks.value.reservationTtlMs, 2000);
    assert.deepEqual(tasks.inputs, []);
  });

  it('reads the roles file given with -r instead of settings.roles_file, and reports it as the one in use', () => {
    const context = countingContext({ ...FILES, '/etc/roles': 'frontend\n' }, '/etc/roles');
    const result = loadConfig({ file: '/ws/taskwarden.yaml', text: TEXT, context });
    assert.ok(result.ok);
    assert.equal(result.value.config.rolesFile, '/etc/roles');
    assert.deepEqual(sectionOf(result.value.config, daemonsModule.config).value.roles, ['frontend']);
    assert.equal(context.reads.has('/ws/roles.txt'), false);
  });

  it('without a config file, every part still gets its section, read from nothing', () => {
    const config = emptyConfig('/ws/taskwarden.yaml', countingContext({}));
    assert.deepEqual(sectionOf(config, daemonsModule.config).value, { specs: [], skipped: [], roles: null });
    assert.equal(sectionOf(config, tasksModule.config).value.reservationTtlMs, 5000);
  });
});
