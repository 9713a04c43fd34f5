/**
 * The files a `python` event watches: the Python program and the modules it
 * imports from its own folder and PYTHONPATH (taskforce's default module path;
 * the standard library and site-packages are left out, as there). Imports are
 * found by reading the source (`import a.b`, `from a import b`, relative
 * `from .x import y`), following each found module in turn; imports made by
 * code at run time (importlib, __import__) are not seen. When the program is
 * not Python, the caller falls back to watching it like `self`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveProgram } from './programPath';

/** The Python script a command runs, or null when it does not run one. */
export function pythonScript(argv: readonly string[], env: Readonly<Record<string, string>>, cwd: string): string | null {
  const program = argv[0] ? resolveProgram(argv[0], env['PATH'], cwd) : null;
  if (!program) return null;
  if (/^python[\d.]*$/.test(path.basename(program))) {
    // python [options] script …: skip options, and the values of those that take one.
    for (let index = 1; index < argv.length; index += 1) {
      const arg = argv[index]!;
      if (arg === '-c' || arg === '-m' || arg === '-') return null;
      if (arg === '-W' || arg === '-X' || arg === '-Q') {
        index += 1;
        continue;
      }
      if (arg.startsWith('-')) continue;
      return path.resolve(cwd, arg);
    }
    return null;
  }
  return readsAsPython(program) ? program : null;
}

function readsAsPython(file: string): boolean {
  if (file.endsWith('.py')) return true;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(128);
      const bytes = fs.readSync(fd, buffer, 0, buffer.length, 0);
      const firstLine = buffer.subarray(0, bytes).toString('latin1').split('\n')[0] ?? '';
      return firstLine.startsWith('#!') && /python/.test(firstLine);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

interface ImportStatement {
  /** Leading dots of a relative import (0 for absolute). */
  readonly level: number;
  readonly module: string;
  /** Names after `from … import`, which may be submodules. */
  readonly names: readonly string[];
}

/** The import statements of a Python source (line-based; continuation lines in parentheses are joined). */
export function parseImports(source: string): ImportStatement[] {
  const statements: ImportStatement[] = [];
  const text = source.replace(/\(([^)]*)\)/g, (_match, inner: string) => inner.replace(/\s*\n\s*/g, ' ')).replace(/\\\n/g, ' ');
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const plain = /^import\s+(.+)$/.exec(line);
    if (plain) {
      for (const part of plain[1]!.split(',')) {
        const module = part
          .trim()
          .split(/\s+as\s+/)[0]!
          .trim();
        if (module) statements.push({ level: 0, module, names: [] });
      }
      continue;
    }
    const from = /^from\s+(\.*)([\w.]*)\s+import\s+(.+)$/.exec(line);
    if (from) {
      const names = from[3]!
        .split(',')
        .map((name) =>
          name
            .trim()
            .split(/\s+as\s+/)[0]!
            .trim(),
        )
        .filter((name) => name && name !== '*');
      statements.push({ level: from[1]!.length, module: from[2]!, names });
    }
  }
  return statements;
}

function moduleFile(base: string, dotted: string): string | null {
  const parts = dotted.split('.').filter(Boolean);
  const stem = path.join(base, ...parts);
  if (parts.length > 0 && fs.existsSync(`${stem}.py`)) return `${stem}.py`;
  const init = path.join(stem, '__init__.py');
  return fs.existsSync(init) ? init : null;
}

/** The script and every module it reaches through imports, within its folder and PYTHONPATH. */
export function pythonModuleFiles(script: string, env: Readonly<Record<string, string>>, limit = 2000): string[] {
  const roots = [
    path.dirname(script),
    ...(env['PYTHONPATH'] ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((folder) => path.resolve(folder)),
  ];
  const found = new Set<string>([script]);
  const queue = [script];
  while (queue.length > 0 && found.size < limit) {
    const file = queue.shift()!;
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const add = (candidate: string | null): void => {
      if (!candidate || found.has(candidate)) return;
      found.add(candidate);
      queue.push(candidate);
    };
    for (const statement of parseImports(source)) {
      const bases = statement.level > 0 ? [path.resolve(path.dirname(file), ...Array<string>(statement.level - 1).fill('..'))] : roots;
      for (const base of bases) {
        const module = statement.module ? moduleFile(base, statement.module) : null;
        add(module);
        // Packages along the way run their __init__ too.
        const parts = statement.module.split('.').filter(Boolean);
        for (let depth = 1; depth < parts.length; depth += 1) add(moduleFile(base, parts.slice(0, depth).join('.')));
        for (const name of statement.names) add(moduleFile(base, statement.module ? `${statement.module}.${name}` : name));
      }
    }
  }
  return [...found];
}
