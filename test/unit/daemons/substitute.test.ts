import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Context, ContextEntry } from '../../../agent/daemons/config/context';
import { substitute, substitutionDiagnostics } from '../../../agent/daemons/config/substitute';

/** A context of config values (templates) unless marked as environment values. */
function contextOf(values: Record<string, string | null>, environment: Record<string, string> = {}): Context {
  const entries: [string, ContextEntry][] = [
    ...Object.entries(environment).map(([name, value]): [string, ContextEntry] => [
      name,
      { value, substitute: false, source: 'environment' },
    ]),
    ...Object.entries(values).map(([name, value]): [string, ContextEntry] => [name, { value, substitute: true, source: 'config' }]),
  ];
  return new Map(entries);
}

describe('{name} substitution', () => {
  test('a name is replaced by its value', () => {
    assert.equal(substitute('-c {conf}', contextOf({ conf: '/etc/ntp.conf' })).value, '-c /etc/ntp.conf');
  });

  test('values that refer to other values are expanded until stable', () => {
    const context = contextOf({ base: '/srv', piddir: '{base}/var/run', pidfile: '{piddir}/{name}.pid', name: 'ntpd' });
    assert.equal(substitute('{pidfile}', context).value, '/srv/var/run/ntpd.pid');
  });

  test('environment values are data and are not expanded again', () => {
    const context = contextOf({}, { TEMPLATE: 'a {b} {{c}}' });
    assert.equal(substitute('{TEMPLATE}', context).value, 'a {b} {{c}}');
  });

  test('double braces are literal braces and are never substituted later', () => {
    const context = contextOf({ x: 'X', wrap: '{{x}}' });
    assert.equal(substitute('{{x}} {x} }}', context).value, '{x} X }');
    // taskforce's repeated format would turn '{{x}}' into '{x}' and then into 'X'.
    assert.equal(substitute('{wrap}', context).value, '{x}');
  });

  test('triple braces give a literal brace around a substituted name', () => {
    assert.equal(substitute('{{{x}}}', contextOf({ x: 'X' })).value, '{X}');
  });

  test('an unknown name is left as written and reported, while known names are still substituted', () => {
    const result = substitute('{known}-{missing}', contextOf({ known: 'k' }));
    assert.equal(result.value, 'k-{missing}');
    assert.deepEqual(result.unknown, ['missing']);
    const [diagnostic] = substitutionDiagnostics(result, ['tasks', 'a', 'cwd']);
    assert.equal(diagnostic?.severity, 'warning');
    assert.deepEqual(diagnostic?.path, ['tasks', 'a', 'cwd']);
    assert.match(diagnostic?.message ?? '', /'\{missing\}' is not defined/);
  });

  test('braces that do not hold a plain name are literal text', () => {
    const context = contextOf({});
    assert.equal(substitute('{"a": 1} {} { x } {a.b} {', context).value, '{"a": 1} {} { x } {a.b} {');
    assert.deepEqual(substitute('{"a": 1}', context).unknown, []);
  });

  test('a text that is exactly one null-valued name resolves to null (unset)', () => {
    const context = contextOf({ USER_NAME: null, user: '{USER_NAME}' });
    assert.equal(substitute('{USER_NAME}', context).value, null);
    assert.equal(substitute('{user}', context).value, null);
  });

  test('a null value inside a longer text reads as empty', () => {
    assert.equal(substitute('a{X}b', contextOf({ X: null })).value, 'ab');
  });

  test('a value that refers to itself is reported as a cycle error', () => {
    const result = substitute('{a}', contextOf({ a: 'x{b}', b: '{a}' }));
    assert.deepEqual(result.cycles, [['a', 'b', 'a']]);
    const diagnostics = substitutionDiagnostics(result, ['defines', 'a']);
    assert.equal(diagnostics[0]?.severity, 'error');
    assert.match(diagnostics[0]?.message ?? '', /a → b → a/);
  });

  test('runtime-only names such as Task_pid are left as written with their own warning', () => {
    const result = substitute('--pid={Task_pid}', contextOf({}));
    assert.equal(result.value, '--pid={Task_pid}');
    assert.deepEqual(result.runtimeOnly, ['Task_pid']);
    assert.deepEqual(result.unknown, []);
    assert.match(substitutionDiagnostics(result, [])[0]?.message ?? '', /only known inside the started process/);
  });

  test('non-ASCII letters are part of a name', () => {
    assert.equal(substitute('{café}', contextOf({ café: 'ok' })).value, 'ok');
  });
});
