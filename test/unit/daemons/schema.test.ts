import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import commonSchema from '../../../agent/config/common.schema.json';
import daemonsSchema from '../../../agent/daemons/config/daemons.schema.json';
import { TASK_KEYS } from '../../../agent/daemons/config/types';

const VECTORS = [
  join(import.meta.dirname, '../../fixtures/taskforce'),
  join(import.meta.dirname, '../../../../shared/vectors/taskforce'),
].find((folder) => existsSync(folder));
const SECTIONS = ['tasks', 'settings', 'defines', 'role_defines', 'defaults', 'role_defaults'] as const;

/** A top-level schema with only the daemons' sections, as the composed taskwarden.schema.json has them. */
const root = {
  $id: 'root.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(SECTIONS.map((section) => [section, { $ref: `daemons.schema.json#/properties/${section}` }])),
};

function validator(options: ConstructorParameters<typeof Ajv>[0] = {}) {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, ...options });
  ajv.addSchema(commonSchema);
  ajv.addSchema(daemonsSchema);
  return ajv.compile(root);
}

describe('daemons.schema.json', () => {
  const validate = validator({ strict: false });

  test('compiles in Ajv strict mode (no unknown keywords, no ambiguous types)', () => {
    assert.doesNotThrow(() => validator({ strict: true }));
  });

  test('has the expected $id and draft-07', () => {
    assert.equal(daemonsSchema.$id, 'daemons.schema.json');
    assert.equal(daemonsSchema.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const section of SECTIONS) assert.ok(section in daemonsSchema.properties, section);
  });

  test('accepts every taskforce vector config unchanged', () => {
    assert.ok(VECTORS, 'taskforce vectors not found');
    const files = readdirSync(VECTORS).filter((name) => name.endsWith('.conf') || name.endsWith('.fragment'));
    assert.ok(files.filter((name) => name.endsWith('.conf')).length >= 4);
    for (const file of files) {
      const config: unknown = parse(readFileSync(join(VECTORS, file), 'utf8'));
      assert.equal(validate(config), true, `${file}: ${JSON.stringify(validate.errors)}`);
    }
  });

  test('accepts a config using every Taskwarden addition', () => {
    const config = {
      settings: { roles_file: 'roles.txt', all_roles: ['web'] },
      tasks: {
        web: {
          commands: { start: ['web'] },
          restart: { initial_delay: 0.1, factor: 2, max_delay: 30, reset_after: 10, crash_loop: { count: 5, window: 60 } },
          stop_signal: 'SIGINT',
          stop_timeout: 3,
          env: { A: '1', B: 2, C: null },
          env_file: '.env',
          ready: { port: 8080, host: 'localhost', timeout: 5 },
          logs: { max_bytes: 1048576, keep: 2 },
        },
        off: { commands: { start: ['x'] }, restart: { crash_loop: false }, ready: { http: 'http://localhost/health' } },
      },
    };
    assert.equal(validate(config), true, JSON.stringify(validate.errors));
  });

  test('rejects an unknown key inside a task', () => {
    assert.equal(validate({ tasks: { web: { commands: { start: ['web'] }, restart_delay: 3 } } }), false);
    assert.ok(
      validate.errors?.some((error) => error.keyword === 'additionalProperties' && error.params['additionalProperty'] === 'restart_delay'),
    );
  });

  test('rejects a task without commands.start', () => {
    assert.equal(validate({ tasks: { web: { commands: { stop: ['x'] } } } }), false);
    assert.equal(validate({ tasks: { web: { control: 'wait' } } }), false);
  });

  test('rejects an unknown control and an unknown event type', () => {
    assert.equal(validate({ tasks: { web: { commands: { start: ['w'] }, control: 'always' } } }), false);
    assert.equal(validate({ tasks: { web: { commands: { start: ['w'] }, events: [{ type: 'changed', command: 'stop' }] } } }), false);
  });

  test('rejects unknown keys in restart, ready, logs, events and settings', () => {
    const task = (extra: object) => ({ tasks: { web: { commands: { start: ['w'] }, ...extra } } });
    assert.equal(validate(task({ restart: { delay: 1 } })), false);
    assert.equal(validate(task({ ready: { tcp: 80 } })), false);
    assert.equal(validate(task({ logs: { size: 1 } })), false);
    assert.equal(validate(task({ events: [{ type: 'self', command: 'stop', when: 'now' }] })), false);
    assert.equal(validate({ settings: { role_file: 'x' } }), false);
  });

  test('rejects lists and maps as context values', () => {
    assert.equal(validate({ defines: { A: ['x'] } }), false);
    assert.equal(validate({ role_defaults: { web: { A: { b: 1 } } } }), false);
  });

  test('describes every task key for hovers, and knows exactly the keys the resolver knows', () => {
    const properties = daemonsSchema.definitions.task.properties as Record<string, { description?: string; $ref?: string }>;
    assert.deepEqual(Object.keys(properties).sort(), [...TASK_KEYS].sort());
    const documents: Record<string, Record<string, { description?: string }>> = {
      '': daemonsSchema.definitions,
      'common.schema.json': commonSchema.definitions,
    };
    for (const [key, property] of Object.entries(properties)) {
      const [file = '', name = ''] = property.$ref?.split('#/definitions/') ?? [];
      const referenced = property.$ref ? documents[file]?.[name] : undefined;
      assert.ok(property.description ?? referenced?.description, `task.${key} has no description`);
    }
  });
});
