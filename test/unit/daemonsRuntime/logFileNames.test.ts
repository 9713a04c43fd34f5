import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileSafeName } from '../../../agent/daemons/logFileNames';
import { instanceLogFiles } from '../../../agent/daemons/logs';

describe('daemon log file names', () => {
  it('keeps the file name of a task whose name is made of safe characters', () => {
    assert.deepEqual(instanceLogFiles('/logs', 'web-api_2.v1', 0), {
      stdout: '/logs/web-api_2.v1.0.out',
      stderr: '/logs/web-api_2.v1.0.err',
    });
  });

  it('gives names that differ only in unsafe characters files of their own', () => {
    const names = ['a b', 'a_b', 'a%20b', 'a/b', 'a%2Fb', 'é', '%C3%A9', '', '%'];
    const files = names.map((name) => instanceLogFiles('/logs', name, 0).stdout);
    assert.equal(new Set(files).size, names.length, files.join('\n'));
    assert.equal(fileSafeName('a b'), 'a%20b');
    assert.equal(fileSafeName('a/b'), 'a%2Fb');
  });

  it('keeps every file inside the logs folder and none hidden, whatever the name', () => {
    for (const name of ['..', '.', '../../etc/passwd', '.hidden', '/', 'a/../../b']) {
      const file = instanceLogFiles('/logs', name, 0).stdout;
      assert.equal(path.dirname(file), '/logs', `${name} → ${file}`);
      assert.ok(!path.basename(file).startsWith('.'), `${name} → ${file}`);
    }
  });

  it('shortens a very long name with a hash, within the file name limit and distinct from its neighbours', () => {
    const long = 'x'.repeat(300);
    const files = [long, `${long}y`, '€'.repeat(100)].map((name) => path.basename(instanceLogFiles('/logs', name, 12).stdout));
    assert.equal(new Set(files).size, 3);
    for (const file of files) assert.ok(Buffer.byteLength(`${file}.99.rotating`) < 255, file);
    assert.match(files[0]!, /^x{120}~[0-9a-f]{16}\.12\.out$/);
  });
});
