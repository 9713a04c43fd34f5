import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expandList, expandScalar } from '../../../agent/daemons/config/conditional';

const has =
  (...names: string[]) =>
  (name: string): boolean =>
    names.includes(name);

describe('conditional values and list expansion', () => {
  test('a scalar expands to one item at its own path', () => {
    assert.deepEqual(expandList('x', has(), ['p']).items, [{ value: 'x', path: ['p'] }]);
  });

  test('an absent or null value expands to nothing', () => {
    assert.deepEqual(expandList(undefined, has(), ['p']).items, []);
    assert.deepEqual(expandList([null, 'a', null], has(), ['p']).items, [{ value: 'a', path: ['p', 1] }]);
  });

  test('a conditional map contributes its value only when the name is in the context', () => {
    const start = ['{Task_name}', { VERBOSE: '-v' }, '-p', '{Task_pidfile}'];
    assert.deepEqual(
      expandList(start, has('VERBOSE'), ['s']).items.map((item) => item.value),
      ['{Task_name}', '-v', '-p', '{Task_pidfile}'],
    );
    assert.deepEqual(
      expandList(start, has(), ['s']).items.map((item) => item.value),
      ['{Task_name}', '-p', '{Task_pidfile}'],
    );
  });

  test('nested conditionals are decided recursively, the inner one only when the outer one is taken', () => {
    const value = ['prog', { MINSLEEP: ['--min-sleep', '{MINSLEEP}', { SLEEPRANGE: ['--sleep-range', '{SLEEPRANGE}'] }] }];
    const values = (...names: string[]) => expandList(value, has(...names), []).items.map((item) => item.value);
    assert.deepEqual(values(), ['prog']);
    assert.deepEqual(values('SLEEPRANGE'), ['prog']);
    assert.deepEqual(values('MINSLEEP'), ['prog', '--min-sleep', '{MINSLEEP}']);
    assert.deepEqual(values('MINSLEEP', 'SLEEPRANGE'), ['prog', '--min-sleep', '{MINSLEEP}', '--sleep-range', '{SLEEPRANGE}']);
  });

  test('every item keeps the exact path it was written at', () => {
    const value = ['a', { D: ['-d', { L: ['-l'] }] }];
    assert.deepEqual(
      expandList(value, has('D', 'L'), ['cmd']).items.map((item) => item.path),
      [
        ['cmd', 0],
        ['cmd', 1, 'D', 0],
        ['cmd', 1, 'D', 1, 'L', 0],
      ],
    );
  });

  test('a map with several keys contributes every defined key in written order', () => {
    assert.deepEqual(
      expandList({ A: 'a', B: 'b', C: 'c' }, has('C', 'A'), []).items.map((item) => item.value),
      ['a', 'c'],
    );
  });

  test('a key that cannot be a context name is reported, since it is almost always a list written with a colon', () => {
    const { items, diagnostics } = expandList(['db', { '-l': '{LOGFILE}' }], has('LOGFILE'), ['s']);
    assert.deepEqual(
      items.map((item) => item.value),
      ['db'],
    );
    assert.equal(diagnostics.length, 1);
    assert.deepEqual(diagnostics[0]?.path, ['s', 1, '-l']);
    assert.equal(diagnostics[0]?.severity, 'warning');
  });

  test('a single value that a conditional leaves empty is absent', () => {
    assert.equal(expandScalar({ RUNAS: '{RUNAS}' }, has(), ['u']).item, null);
    assert.equal(expandScalar({ RUNAS: '{RUNAS}' }, has('RUNAS'), ['u']).item?.value, '{RUNAS}');
  });

  test('a single value that expands to several values is an error at its path', () => {
    const { item, diagnostics } = expandScalar(['a', 'b'], has(), ['tasks', 't', 'cwd']);
    assert.equal(item, null);
    assert.deepEqual(
      diagnostics.map((d) => [d.path, d.severity]),
      [[['tasks', 't', 'cwd'], 'error']],
    );
  });
});
