/**
 * Loads a user's module (a tasklet, a job handler) from a `.js`, `.mjs` or
 * `.ts` file, fresh each time it is asked (an edited file is loaded again, not
 * served from a cache). `.ts` is compiled by esbuild (typeScriptCompiler.ts)
 * and run as CommonJS with its source map, so stack traces name the user's
 * lines; `.mjs` (and a `.js` written as an ES module) is imported; any other
 * `.js` is required. Nothing here knows what the module is for.
 */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { failed, ok, type Failure, type Result } from '../result';
import { compileTypeScript } from './typeScriptCompiler';

/** The extensions a user module may have. */
export const USER_MODULE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.ts'];

/** Why a module did not load, with the 1-based line when known (a syntax error, a compile error). */
export interface LoadFailure extends Failure<'not-found' | 'unsupported' | 'compile-error' | 'load-error'> {
  readonly file: string;
  readonly line: number | null;
}

/** A loaded module's exports. */
export type UserModule = Readonly<Record<string, unknown>>;

// Stack traces of compiled TypeScript point at the user's lines.
process.setSourceMapsEnabled(true);

/** Loads `file` (absolute) afresh. */
export async function loadUserModule(file: string): Promise<Result<UserModule, LoadFailure>> {
  const extension = path.extname(file);
  if (!USER_MODULE_EXTENSIONS.includes(extension))
    return failed({ reason: 'unsupported', message: `not a module: ${path.basename(file)} (expected .js, .mjs or .ts)`, file, line: null });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return failed({ reason: 'not-found', message: `no such file: ${file}`, file, line: null });
  }
  try {
    if (extension === '.ts') {
      const compiled = compileTypeScript(file);
      if (!compiled.ok) return failed({ ...compiled.error, reason: 'compile-error' });
      return ok(runCommonJs(file, compiled.value));
    }
    if (extension === '.mjs') return ok(await importFresh(file, stat));
    return ok(await requireFresh(file, stat));
  } catch (error: unknown) {
    return failed({ reason: 'load-error', message: describe(error), file, line: lineOf(error, file) });
  }
}

/** Runs CommonJS text as the module `file` (its requires resolve from the file's folder). */
function runCommonJs(file: string, code: string): UserModule {
  const module = new Module(file) as Module & { _compile(code: string, filename: string): void; paths: string[] };
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(path.dirname(file));
  module._compile(code, file);
  return module.exports as UserModule;
}

/** An ES module, imported under a URL that changes with the file, so an edit is loaded again. */
async function importFresh(file: string, stat: fs.Stats): Promise<UserModule> {
  const url = `${pathToFileURL(file).href}?version=${stat.mtimeMs}-${stat.size}`;
  return (await import(url)) as UserModule;
}

/** A CommonJS module, out of the require cache first; a `.js` written as an ES module is imported instead. */
async function requireFresh(file: string, stat: fs.Stats): Promise<UserModule> {
  const require = createRequire(file);
  delete require.cache[file];
  try {
    return require(file) as UserModule;
  } catch (error: unknown) {
    if (!isEsModuleError(error)) throw error;
    return importFresh(file, stat);
  }
}

function isEsModuleError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return true;
  return (
    error instanceof SyntaxError &&
    /Cannot use import statement|Unexpected token 'export'|Cannot use 'import\.meta'|await is only valid/.test(error.message)
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}

/** The line in `file` that a load error's stack (or a syntax error's first line) names. */
function lineOf(error: unknown, file: string): number | null {
  if (!(error instanceof Error) || error.stack === undefined) return null;
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}(?:\\?[^:]*)?:(\\d+)`).exec(error.stack);
  return match ? Number(match[1]) : null;
}
