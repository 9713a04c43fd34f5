import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseImports, pythonModuleFiles, pythonScript } from '../../../agent/daemons/events/pythonImports';

function tree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-unit-py-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('python imports', () => {
  it('reads plain, aliased, from, relative and parenthesised imports, ignoring comments', () => {
    const source = [
      'import os, sys as system',
      'from pkg.sub import (one,',
      '    two as second)',
      'from . import sibling',
      'from ..up import thing  # comment',
      '# import hidden',
      'x = "import not"',
    ].join('\n');
    assert.deepEqual(parseImports(source), [
      { level: 0, module: 'os', names: [] },
      { level: 0, module: 'sys', names: [] },
      { level: 0, module: 'pkg.sub', names: ['one', 'two'] },
      { level: 1, module: '', names: ['sibling'] },
      { level: 2, module: 'up', names: ['thing'] },
    ]);
  });

  it('follows imports through the script folder and PYTHONPATH, and leaves the standard library out', () => {
    const root = tree({
      'app/main.py': 'import os\nimport helper\nfrom pkg import tools\n',
      'app/helper.py': 'from . import nothing\n',
      'lib/pkg/__init__.py': '',
      'lib/pkg/tools.py': 'from .inner import deep\n',
      'lib/pkg/inner.py': 'deep = 1\n',
    });
    const files = pythonModuleFiles(path.join(root, 'app/main.py'), { PYTHONPATH: path.join(root, 'lib') });
    assert.deepEqual(files.map((file) => path.relative(root, file)).sort(), [
      'app/helper.py',
      'app/main.py',
      'lib/pkg/__init__.py',
      'lib/pkg/inner.py',
      'lib/pkg/tools.py',
    ]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds the script of an interpreter command or a python shebang, and none for -m or a shell script', () => {
    const root = tree({ 'run.py': 'print(1)\n', tool: '#!/usr/bin/env python3\n', 'shell.sh': '#!/bin/sh\n' });
    fs.chmodSync(path.join(root, 'tool'), 0o755);
    fs.chmodSync(path.join(root, 'shell.sh'), 0o755);
    const env = { PATH: process.env['PATH'] ?? '' };
    const python = ['python3', 'python'].find((name) =>
      (process.env['PATH'] ?? '').split(':').some((folder) => fs.existsSync(path.join(folder, name))),
    );
    if (python) {
      assert.equal(pythonScript([python, '-u', 'run.py', '--flag'], env, root), path.join(root, 'run.py'));
      assert.equal(pythonScript([python, '-m', 'http.server'], env, root), null);
    }
    assert.equal(pythonScript(['./tool'], env, root), path.join(root, 'tool'));
    assert.equal(pythonScript(['./shell.sh'], env, root), null);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
