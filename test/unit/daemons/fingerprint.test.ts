import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, fingerprintOf, type FingerprintInput } from '../../../agent/daemons/config/fingerprint';

const base: FingerprintInput = {
  argv: ['web', '-p', '80'],
  argv0: null,
  cwd: '/srv',
  user: null,
  group: null,
  env: { A: '1', B: '2' },
  envFile: null,
};

describe('fingerprint', () => {
  test('canonical JSON sorts object keys at every depth and keeps array order', () => {
    assert.equal(canonicalJson({ b: [2, 1], a: { d: 1, c: null } }), '{"a":{"c":null,"d":1},"b":[2,1]}');
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  });

  test('is stable across key order of the environment', () => {
    assert.equal(fingerprintOf(base), fingerprintOf({ ...base, env: { B: '2', A: '1' } }));
    assert.match(fingerprintOf(base), /^sha256:[0-9a-f]{64}$/);
  });

  test('changes with each process input', () => {
    const variants: FingerprintInput[] = [
      { ...base, argv: ['web', '-p', '81'] },
      { ...base, argv0: 'web-0' },
      { ...base, cwd: '/tmp' },
      { ...base, user: 'nobody' },
      { ...base, group: 'staff' },
      { ...base, env: { A: '1', B: '3' } },
      { ...base, envFile: { path: '.env', loaded: false } },
    ];
    const prints = new Set([base, ...variants].map(fingerprintOf));
    assert.equal(prints.size, variants.length + 1);
  });

  test('ignores the agent pid and anything that is not a process input', () => {
    assert.equal(fingerprintOf(base), fingerprintOf({ ...base, env: { ...base.env, Task_ppid: '4242' } }));
    const spec = { ...base, events: [{ type: 'self' }], control: 'once' } as FingerprintInput;
    assert.equal(fingerprintOf(spec), fingerprintOf(base));
  });
});
