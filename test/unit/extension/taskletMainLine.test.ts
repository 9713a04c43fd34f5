import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMainLine, taskletLanguageOf } from '../../../extension/groups/taskletMainLine';

describe("the line of a tasklet's main, for its code lens", () => {
  it('tells tasklet files by their ending, declarations excluded', () => {
    assert.equal(taskletLanguageOf('10_check.js'), 'javascript');
    assert.equal(taskletLanguageOf('a.mjs'), 'javascript');
    assert.equal(taskletLanguageOf('a.ts'), 'javascript');
    assert.equal(taskletLanguageOf('types.d.ts'), null);
    assert.equal(taskletLanguageOf('rule.py'), 'python');
    assert.equal(taskletLanguageOf('params.yaml'), null);
  });

  it('finds exported functions, consts and CommonJS exports', () => {
    assert.equal(findMainLine('// hi\nexport async function main(params, ctx) {\n}', 'javascript'), 1);
    assert.equal(findMainLine('export const priority = 3;\nexport const main = async () => {};', 'javascript'), 1);
    assert.equal(findMainLine("'use strict';\n\nexports.main = function () {};", 'javascript'), 2);
    assert.equal(findMainLine('module.exports.main = () => 1;', 'javascript'), 0);
  });

  it('finds a local main only when an export list names it', () => {
    assert.equal(findMainLine('function main() {}\nexport { main, match };', 'javascript'), 0);
    assert.equal(findMainLine('function main() {}\nexport { match };', 'javascript'), null);
  });

  it('ignores a main that is only mentioned or called', () => {
    assert.equal(findMainLine('export function match() {\n  return main;\n}\n// main(params)', 'javascript'), null);
  });

  it('finds a top-level Python def, not a nested one', () => {
    assert.equal(findMainLine('priority = 3\n\ndef main(params, ctx):\n    pass', 'python'), 2);
    assert.equal(findMainLine('class X:\n    def main(self):\n        pass', 'python'), null);
    assert.equal(findMainLine('async def main(params, ctx):\n    pass', 'python'), 0);
  });
});
