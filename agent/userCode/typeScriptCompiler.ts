/**
 * Compiles a user's TypeScript module at load with esbuild's own binary: the
 * file and what it imports by relative path are bundled into one CommonJS
 * text with an inline source map (packages stay `require`s, resolved from the
 * user's folder). The binary, not esbuild's JS API, because the packaged
 * extension has no node_modules: the build copies the binary next to the
 * bundles (dist/esbuild), and in a checkout it is found in node_modules.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { failed, ok, type Failure, type Result } from '../result';

/** Where a compile failed: the file and 1-based line of esbuild's first error, when it names one. */
export interface CompileFailure extends Failure<'esbuild-missing' | 'compile-error'> {
  readonly file: string;
  readonly line: number | null;
}

/** The esbuild binary: `TASKWARDEN_ESBUILD`, else next to this bundle, else the one npm installed. */
export function findEsbuild(bundleDir: string = __dirname): string | null {
  const fromEnv = process.env['TASKWARDEN_ESBUILD'];
  const candidates = [fromEnv, path.join(bundleDir, 'esbuild')];
  try {
    const packageDir = path.dirname(require.resolve(`@esbuild/${process.platform}-${process.arch}/package.json`));
    candidates.push(path.join(packageDir, 'bin', 'esbuild'));
  } catch {
    // Not installed here (the packaged extension): the copy next to the bundle is the one.
  }
  for (const candidate of candidates) if (candidate !== undefined && candidate !== '' && isExecutable(candidate)) return candidate;
  return null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** esbuild's error report: `✘ [ERROR] MESSAGE`, a blank line, then `FILE:LINE:COL:` (relative to its cwd). */
const ERROR_LOCATION = /^\s*(?:✘ \[ERROR\] |error: )?(.*)\n\s*([^\s:]+):(\d+):(\d+):/m;

/** Bundles `file` into CommonJS text (with an inline source map), or says where it failed. */
export function compileTypeScript(file: string, esbuild: string | null = findEsbuild()): Result<string, CompileFailure> {
  if (esbuild === null)
    return failed({
      reason: 'esbuild-missing',
      message: 'cannot compile TypeScript: no esbuild binary (set TASKWARDEN_ESBUILD, or rebuild with npm run build)',
      file,
      line: null,
    });
  const result = spawnSync(
    esbuild,
    [
      path.basename(file),
      '--bundle',
      '--platform=node',
      '--format=cjs',
      '--target=node20',
      '--packages=external',
      '--sourcemap=inline',
      '--log-level=error',
      '--color=false',
    ],
    { cwd: path.dirname(file), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) return failed({ reason: 'compile-error', message: `esbuild: ${result.error.message}`, file, line: null });
  if (result.status !== 0) {
    const stderr = result.stderr.trim();
    const located = ERROR_LOCATION.exec(stderr);
    const line = located ? Number(located[3]) : null;
    const where = located ? path.resolve(path.dirname(file), located[2]!) : file;
    const message = located ? located[1]!.trim() : (stderr.split('\n')[0] ?? `esbuild exited with ${result.status}`);
    return failed({ reason: 'compile-error', message, file: fs.existsSync(where) ? where : file, line });
  }
  return ok(result.stdout);
}
