import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDependencies } from '../../../agent/daemons/config/dependencies';
import { resolveDaemons, type ResolveInput } from '../../../agent/daemons/config/resolve';
import { parseRolesFile } from '../../../agent/daemons/config/roles';

const host: ResolveInput = { roles: null, environment: {}, host: 'h' };
const task = (extra: Record<string, unknown> = {}) => ({ commands: { start: ['prog'] }, ...extra });
const errors = (config: unknown, input: ResolveInput = host) =>
  resolveDaemons(config, input)
    .diagnostics.filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => ({ path: diagnostic.path, message: diagnostic.message }));

describe('start order', () => {
  test('tasks start in layers, each layer requiring only earlier ones, in config order within a layer', () => {
    const config = {
      tasks: {
        web: task({ requires: ['api', 'cache'] }),
        db: task(),
        api: task({ requires: 'db' }),
        cache: task(),
        worker: task({ requires: ['db'] }),
      },
    };
    const result = resolveDaemons(config, host);
    assert.deepEqual(result.order, [['db', 'cache'], ['api', 'worker'], ['web']]);
    assert.deepEqual(
      result.specs.map((spec) => spec.name),
      ['db', 'cache', 'api', 'worker', 'web'],
    );
    assert.deepEqual(result.diagnostics, []);
  });

  test('requires may be a single name, a list, or use conditional values and substitution', () => {
    const config = {
      defines: { dep: 'db' },
      tasks: { db: task(), cache: task(), app: task({ requires: ['{dep}', { USE_CACHE: 'cache' }] }) },
    };
    assert.deepEqual(resolveDaemons(config, host).order, [['db', 'cache'], ['app']]);
    assert.deepEqual(
      resolveDaemons(config, { ...host, environment: { USE_CACHE: '1' } }).specs.find((spec) => spec.name === 'app')?.requires,
      [
        { task: 'db', waitFor: 'started' },
        { task: 'cache', waitFor: 'started' },
      ],
    );
  });

  test('what a dependent waits for follows the control of the required task', () => {
    const config = {
      tasks: {
        setup: task({ control: 'once' }),
        trigger: task({ control: 'event' }),
        paused: task({ control: 'suspend' }),
        db: task(),
        app: task({ requires: ['setup', 'trigger', 'paused', 'db'] }),
      },
    };
    const app = resolveDaemons(config, host).specs.find((spec) => spec.name === 'app');
    assert.deepEqual(app?.requires, [
      { task: 'setup', waitFor: 'exited' },
      { task: 'trigger', waitFor: 'nothing' },
      { task: 'paused', waitFor: 'nothing' },
      { task: 'db', waitFor: 'started' },
    ]);
  });

  test('a requirement listed twice counts once', () => {
    const config = { tasks: { db: task(), app: task({ requires: ['db', 'db'] }) } };
    assert.deepEqual(resolveDaemons(config, host).specs.find((spec) => spec.name === 'app')?.requires, [
      { task: 'db', waitFor: 'started' },
    ]);
  });
});

describe('requires errors', () => {
  test('an unknown task is an error at the exact list element, with a suggestion', () => {
    const config = { tasks: { database: task(), app: task({ requires: ['database', 'databse'] }) } };
    assert.deepEqual(errors(config), [
      { path: ['tasks', 'app', 'requires', 1], message: "requires 'databse', which is not a task (did you mean 'database'?)" },
    ]);
  });

  test('an unknown task written as a single name is an error at requires itself', () => {
    assert.deepEqual(errors({ tasks: { app: task({ requires: 'nope' }) } }), [
      { path: ['tasks', 'app', 'requires'], message: "requires 'nope', which is not a task" },
    ]);
  });

  test('an unknown task inside a conditional value is reported at its nested path', () => {
    const config = { tasks: { app: task({ requires: [{ EXTRA: ['nope'] }] }) } };
    assert.deepEqual(errors(config, { ...host, environment: { EXTRA: '' } })[0]?.path, ['tasks', 'app', 'requires', 0, 'EXTRA', 0]);
  });

  test('a cycle is an error at each requires element that closes it, naming the loop', () => {
    const config = {
      tasks: { a: task({ requires: ['b'] }), b: task({ requires: ['c'] }), c: task({ requires: ['a'] }), d: task({ requires: ['a'] }) },
    };
    const result = resolveDaemons(config, host);
    assert.deepEqual(
      result.diagnostics.map((diagnostic) => [diagnostic.path, diagnostic.message]),
      [
        [['tasks', 'a', 'requires', 0], "requires 'b', which makes a cycle: a → b → c → a"],
        [['tasks', 'b', 'requires', 0], "requires 'c', which makes a cycle: b → c → a → b"],
        [['tasks', 'c', 'requires', 0], "requires 'a', which makes a cycle: c → a → b → c"],
      ],
    );
    // Tasks in or behind the cycle get no start layer.
    assert.deepEqual(result.order, []);
  });

  test('a task requiring itself is a cycle', () => {
    assert.deepEqual(errors({ tasks: { a: task({ requires: 'a' }) } }), [
      { path: ['tasks', 'a', 'requires'], message: "requires 'a', which makes a cycle: a → a" },
    ]);
  });

  test('requiring a task whose control is off is an error', () => {
    const config = { tasks: { db: task({ control: 'off' }), app: task({ requires: ['db'] }) } };
    assert.deepEqual(errors(config), [
      { path: ['tasks', 'app', 'requires', 0], message: "requires 'db', whose control is 'off', so 'app' could never start" },
    ]);
  });

  test('requiring a task out of role scope is an error naming the active roles', () => {
    const config = { tasks: { db: task({ roles: ['backend'] }), app: task({ requires: ['db'] }) } };
    assert.deepEqual(errors(config, { ...host, roles: parseRolesFile('frontend').rolesFile }), [
      {
        path: ['tasks', 'app', 'requires', 0],
        message: "requires 'db', which is out of scope here (active roles: frontend), so 'app' could never start",
      },
    ]);
    assert.deepEqual(errors(config, { ...host, roles: parseRolesFile('backend').rolesFile }), []);
  });

  test('a task out of scope may require anything out of scope, but not an unknown task', () => {
    const config = { tasks: { db: task({ roles: ['backend'] }), app: task({ roles: ['backend'], requires: ['db', 'ghost'] }) } };
    assert.deepEqual(errors(config, { ...host, roles: parseRolesFile('frontend').rolesFile }), [
      { path: ['tasks', 'app', 'requires', 1], message: "requires 'ghost', which is not a task" },
    ]);
  });

  test('a cycle among tasks switched off is still found, so every host sees it', () => {
    const config = { tasks: { a: task({ control: 'off', requires: 'b' }), b: task({ control: 'off', requires: 'a' }) } };
    assert.equal(errors(config).length, 2);
  });
});

describe('analyzeDependencies', () => {
  test('works on plain task descriptions', () => {
    const result = analyzeDependencies(
      [
        { name: 'a', requires: [], excluded: null },
        { name: 'b', requires: [{ task: 'a', path: ['x'] }], excluded: null },
        { name: 'c', requires: [{ task: 'b', path: ['y'] }], excluded: 'out_of_scope' },
      ],
      'no roles file',
    );
    assert.deepEqual(result.layers, [['a'], ['b']]);
    assert.deepEqual(result.diagnostics, []);
  });
});
