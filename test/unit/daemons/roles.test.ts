import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activeRoles, describeRoles, isInScope, parseRolesFile, roleContextValues } from '../../../agent/daemons/config/roles';

describe('roles file', () => {
  test('one role per line, with blank lines and # comments ignored', () => {
    const { rolesFile, problems } = parseRolesFile('# this host\nfrontend\n\n  backend  \n   # indented comment\n');
    assert.deepEqual(rolesFile.roles, ['frontend', 'backend']);
    assert.deepEqual(problems, []);
  });

  test('a name=value line activates the role and records its value', () => {
    const { rolesFile } = parseRolesFile('db = replica\nweb\n');
    assert.deepEqual(rolesFile.roles, ['db', 'web']);
    assert.deepEqual(rolesFile.values, { db: 'replica' });
    assert.deepEqual(roleContextValues(rolesFile), { Task_role_db: 'replica', Task_role_web: '' });
  });

  test('a role listed twice is active once and the last line decides its value', () => {
    const { rolesFile } = parseRolesFile('db=a\ndb=b\nweb=1\nweb\n');
    assert.deepEqual(rolesFile.roles, ['db', 'web']);
    assert.deepEqual(rolesFile.values, { db: 'b' });
  });

  test('Windows line endings are accepted', () => {
    assert.deepEqual(parseRolesFile('a\r\nb\r\n').rolesFile.roles, ['a', 'b']);
  });

  test('a line with white space in the name or no name is skipped and reported with its line number', () => {
    const { rolesFile, problems } = parseRolesFile('web\nfront end\n=x\n');
    assert.deepEqual(rolesFile.roles, ['web']);
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [2, 3],
    );
  });

  test('an empty file is an empty role set, not a missing one', () => {
    assert.deepEqual(parseRolesFile('').rolesFile.roles, []);
    assert.deepEqual(parseRolesFile('# only a comment\n').rolesFile.roles, []);
  });
});

describe('role scope', () => {
  const roles = (text: string) => parseRolesFile(text).rolesFile;

  test('without a roles file every task is in scope', () => {
    assert.equal(isInScope(['frontend'], null), true);
    assert.equal(isInScope([], null), true);
  });

  test('with an empty roles file only tasks without roles are in scope', () => {
    assert.equal(isInScope([], roles('')), true);
    assert.equal(isInScope(['frontend'], roles('')), false);
  });

  test('a task is in scope when one of its roles is active', () => {
    assert.equal(isInScope(['frontend', 'backend'], roles('backend')), true);
    assert.equal(isInScope(['frontend'], roles('backend')), false);
    assert.equal(isInScope([], roles('backend')), true);
  });

  test('role maps see the active roles only with a non-empty roles file', () => {
    assert.equal(activeRoles(null).size, 0);
    assert.equal(activeRoles(roles('')).size, 0);
    assert.deepEqual([...activeRoles(roles('a\nb'))], ['a', 'b']);
  });

  test('scope descriptions name the situation for messages', () => {
    assert.equal(describeRoles(null), 'no roles file');
    assert.equal(describeRoles(roles('')), 'an empty roles file');
    assert.equal(describeRoles(roles('a\nb')), 'active roles: a, b');
  });
});
