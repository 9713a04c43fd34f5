import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.resolve(__dirname, '../../..');

describe('the generated schema validator', () => {
  it('is what the schemas in schemas/ compile to (run the build after editing a schema)', () => {
    const check = spawnSync(process.execPath, ['scripts/generate-schema-validator.mjs', '--check'], { cwd: repo, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });
});
