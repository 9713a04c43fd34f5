import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { expandItem, expandString } from '../../../agent/queues/expansion';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-queues-expansion-')));
const workdir = path.join(root, 'work');
fs.mkdirSync(workdir);
after(() => fs.rmSync(root, { recursive: true, force: true }));

function expand(cmd: string[], options: { cwd?: string; env?: Record<string, string>; queueEnv?: Record<string, string> } = {}) {
  return expandItem({ id: 'i1', cmd, cwd: options.cwd ?? null, env: options.env ?? {}, queueEnv: options.queueEnv ?? {}, workdir });
}

describe('queue item expansion', () => {
  it('expands {NAME} from the queue env, then the item env (later wins)', () => {
    const result = expand(['echo', '{A}-{B}'], { queueEnv: { A: 'q', B: 'q' }, env: { B: 'item' } });
    assert.ok(result.ok);
    assert.deepEqual(result.value.cmd, ['echo', 'q-item']);
    assert.deepEqual(result.value.env, {
      A: 'q',
      B: 'item',
      _ID_: 'i1',
      _WORKDIR_: workdir,
      _PROCESS_ROOT_DIR_: workdir,
      _SHELL_: '/bin/bash',
      _SHELL_EXT_: 'sh',
      _SHELL_OPT_: '/bin/bash',
    });
  });

  it('reads {{ and }} as literal braces', () => {
    assert.deepEqual(expandString('{{x}} {{{A}}}', { A: 'a' }), { ok: true, value: '{x} {a}' });
  });

  it('drops an element that expands to the empty string', () => {
    const result = expand(['{SHELL_OPT}', 'run', '{EMPTY}'], { env: { SHELL_OPT: '', EMPTY: '' } });
    assert.ok(result.ok);
    assert.deepEqual(result.value.cmd, ['run']);
  });

  it('fails an unknown name with "Invalid command: unknown variable X in …"', () => {
    const result = expand(['echo', 'x{NOPE}y']);
    assert.deepEqual(result, { ok: false, error: { reason: 'command', message: 'Invalid command: unknown variable NOPE in x{NOPE}y' } });
  });

  it('does not let cmd use _ID_ or _WORKDIR_ (as in the seed)', () => {
    assert.equal(expand(['echo', '{_ID_}']).ok, false);
    assert.equal(expand(['echo', '{_WORKDIR_}']).ok, false);
    const root = expand(['echo', '{_PROCESS_ROOT_DIR_}']);
    assert.ok(root.ok);
    assert.deepEqual(root.value.cmd, ['echo', workdir]);
  });

  it('fails a command that expands to nothing', () => {
    assert.equal(expand(['{E}'], { env: { E: '' } }).ok, false);
  });

  it('defaults cwd to the workdir, joins a relative one and creates a missing folder', () => {
    const none = expand(['true']);
    assert.ok(none.ok);
    assert.equal(none.value.cwd, workdir);
    const nested = expand(['true'], { cwd: 'a/{SUB}', env: { SUB: 'b' } });
    assert.ok(nested.ok);
    assert.equal(nested.value.cwd, path.join(workdir, 'a', 'b'));
    assert.ok(fs.statSync(nested.value.cwd).isDirectory());
    assert.equal(nested.value.env._WORKDIR_, nested.value.cwd);
  });

  it('refuses a cwd that leaves the workdir through ..', () => {
    const result = expand(['true'], { cwd: '../outside' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.error.message.startsWith('Invalid working directory: '));
    assert.ok(!fs.existsSync(path.join(root, 'outside')));
  });

  it('refuses a cwd that leaves the workdir through a symlink', () => {
    fs.mkdirSync(path.join(root, 'elsewhere'), { recursive: true });
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(workdir, 'link'));
    const result = expand(['true'], { cwd: 'link/deeper' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && /through a symlink/.test(result.error.message));
    assert.ok(!fs.existsSync(path.join(root, 'elsewhere', 'deeper')));
  });

  it('fails a cwd that is an existing file', () => {
    fs.writeFileSync(path.join(workdir, 'file'), '');
    const result = expand(['true'], { cwd: 'file' });
    assert.ok(!result.ok && /is a file/.test(result.error.message));
  });
});
