import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTaskContext, type TaskContextInput } from '../../../agent/daemons/config/context';
import { parseRolesFile } from '../../../agent/daemons/config/roles';
import { substitute } from '../../../agent/daemons/config/substitute';

/** Every layer defines X (and a name of its own), so the winner shows the precedence. */
function layeredConfig(): Record<string, unknown> {
  return {
    defines: { X: 'global define', G_DEF: '1' },
    role_defines: { web: { X: 'global role define' } },
    defaults: { X: 'global default', ONLY_GLOBAL_DEFAULT: 'gd', PATH: '/default/bin' },
    role_defaults: { web: { X: 'global role default', ONLY_ROLE_DEFAULT: 'grd' } },
    tasks: {
      t: {
        commands: { start: ['t'] },
        defines: { X: 'task define' },
        role_defines: { web: { X: 'task role define' } },
        defaults: { X: 'task default', ONLY_TASK_DEFAULT: 'td', ONLY_ROLE_DEFAULT: 'task default loses' },
        role_defaults: { web: { X: 'task role default', ONLY_ROLE_DEFAULT: 'trd' } },
      },
    },
  };
}

function input(config: Record<string, unknown>, overrides: Partial<TaskContextInput> = {}): TaskContextInput {
  const tasks = config['tasks'] as Record<string, Record<string, unknown>>;
  return {
    config,
    taskName: 't',
    task: tasks['t']!,
    instance: 0,
    roles: parseRolesFile('web\n').rolesFile,
    environment: {},
    host: 'h',
    ...overrides,
  };
}

/** Remove layers one by one from the top and see who wins next. */
function winner(config: Record<string, unknown>, overrides: Partial<TaskContextInput> = {}): string | null | undefined {
  return buildTaskContext(input(config, overrides)).get('X')?.value;
}

describe('task context precedence', () => {
  test('defines win in the order task role_defines, task defines, global role_defines, global defines', () => {
    const config = layeredConfig();
    const task = (config['tasks'] as Record<string, Record<string, unknown>>)['t']!;
    assert.equal(winner(config), 'task role define');
    delete task['role_defines'];
    assert.equal(winner(config), 'task define');
    delete task['defines'];
    assert.equal(winner(config), 'global role define');
    delete config['role_defines'];
    assert.equal(winner(config), 'global define');
  });

  test('defines override the environment, and the environment overrides every default', () => {
    const config = layeredConfig();
    assert.equal(winner(config, { environment: { X: 'env' } }), 'task role define');
    const task = (config['tasks'] as Record<string, Record<string, unknown>>)['t']!;
    delete task['role_defines'];
    delete task['defines'];
    delete config['role_defines'];
    delete config['defines'];
    assert.equal(winner(config, { environment: { X: 'env' } }), 'env');
  });

  test('defaults apply in the order task role_defaults, task defaults, global role_defaults, global defaults', () => {
    const config = layeredConfig();
    const task = (config['tasks'] as Record<string, Record<string, unknown>>)['t']!;
    for (const key of ['role_defines', 'defines']) {
      delete task[key];
      delete config[key];
    }
    assert.equal(winner(config), 'task role default');
    delete task['role_defaults'];
    assert.equal(winner(config), 'task default');
    delete task['defaults'];
    assert.equal(winner(config), 'global role default');
    delete config['role_defaults'];
    assert.equal(winner(config), 'global default');
  });

  test('a default fills only names nothing else defined', () => {
    const context = buildTaskContext(input(layeredConfig(), { environment: { PATH: '/usr/bin' } }));
    assert.equal(context.get('PATH')?.value, '/usr/bin');
    assert.equal(context.get('ONLY_GLOBAL_DEFAULT')?.value, 'gd');
    assert.equal(context.get('ONLY_TASK_DEFAULT')?.value, 'td');
    assert.equal(context.get('ONLY_ROLE_DEFAULT')?.value, 'trd');
  });

  test('role maps do not apply without a roles file or with an empty one', () => {
    const config = layeredConfig();
    const task = (config['tasks'] as Record<string, Record<string, unknown>>)['t']!;
    assert.equal(winner(config, { roles: null }), 'task define');
    assert.equal(winner(config, { roles: parseRolesFile('').rolesFile }), 'task define');
    delete task['defines'];
    delete config['defines'];
    assert.equal(winner(config, { roles: null }), 'task default');
  });

  test('built-in Task_ names override the environment but not defines', () => {
    const config = { tasks: { t: { commands: { start: ['t'] } } } };
    const context = buildTaskContext(
      input(config, { environment: { Task_name: 'from a parent taskforce' }, instance: 2, fqdn: 'h.example.org', agentPid: 42 }),
    );
    assert.equal(context.get('Task_name')?.value, 't');
    assert.equal(context.get('Task_instance')?.value, '2');
    assert.equal(context.get('Task_host')?.value, 'h');
    assert.equal(context.get('Task_fqdn')?.value, 'h.example.org');
    assert.equal(context.get('Task_ppid')?.value, '42');
    const overridden = { defines: { Task_host: 'pretend' }, tasks: config.tasks };
    assert.equal(buildTaskContext(input(overridden)).get('Task_host')?.value, 'pretend');
  });

  test('Task_fqdn defaults to the host name and Task_ppid is absent unless the agent pid is given', () => {
    const context = buildTaskContext(input({ tasks: { t: { commands: { start: ['t'] } } } }));
    assert.equal(context.get('Task_fqdn')?.value, 'h');
    assert.equal(context.has('Task_ppid'), false);
  });

  test('the task settings user, group, pidfile and cwd are published as templates', () => {
    const config = {
      defines: { piddir: '/run' },
      tasks: {
        t: { commands: { start: ['t'] }, pidfile: '{piddir}/{Task_name}-{Task_instance}.pid', cwd: '/srv', user: 1000, group: 'staff' },
      },
    };
    const context = buildTaskContext(input(config, { instance: 3 }));
    assert.equal(context.get('Task_pidfile')?.value, '{piddir}/{Task_name}-{Task_instance}.pid');
    assert.equal(substitute('{Task_pidfile}', context).value, '/run/t-3.pid');
    assert.equal(context.get('Task_cwd')?.value, '/srv');
    assert.equal(context.get('Task_user')?.value, '1000');
    assert.equal(context.get('Task_group')?.value, 'staff');
  });

  test('active roles are published as Task_role_<name>, with the value of a name=value line', () => {
    const context = buildTaskContext(
      input({ tasks: { t: { commands: { start: ['t'] } } } }, { roles: parseRolesFile('web\ndb=replica\n').rolesFile }),
    );
    assert.equal(context.get('Task_role_web')?.value, '');
    assert.equal(context.get('Task_role_db')?.value, 'replica');
    assert.equal(context.has('Task_role_cache'), false);
  });

  test('null defaults are present in the context without a value', () => {
    const context = buildTaskContext(input({ defaults: { TESTUSER: null }, tasks: { t: { commands: { start: ['t'] } } } }));
    assert.equal(context.has('TESTUSER'), true);
    assert.equal(context.get('TESTUSER')?.value, null);
  });

  test('numbers and booleans in context maps become text', () => {
    const context = buildTaskContext(input({ defines: { PORT: 8080, DEBUG: true }, tasks: { t: { commands: { start: ['t'] } } } }));
    assert.equal(context.get('PORT')?.value, '8080');
    assert.equal(context.get('DEBUG')?.value, 'true');
  });

  test('config entries remember where they were written', () => {
    const context = buildTaskContext(input(layeredConfig()));
    assert.deepEqual(context.get('X')?.path, ['tasks', 't', 'role_defines', 'web', 'X']);
    assert.equal(context.get('X')?.source, 'config');
  });
});
