/**
 * The schemas user handlers export, so that a job's params are checked when
 * the config loads and as it is typed (and their names completed), as they
 * are for the built-in handlers. Reading one means loading the user's module,
 * which never happens in the agent: a handler runner process
 * (`jobHandlerRunner.js --schema FILE`) loads it and prints its schema. Known
 * schemas are kept per file and modification time; one not known yet is asked
 * for in the background and `learned` tells the agent to check the config
 * again. Only the agent sets a source (`useUserSchemas`): `taskwarden check`
 * runs no user code, so there a user handler's params are checked at its runs.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

/** A user handler's schema: an object, null when it exports none (or cannot be loaded), undefined while not known yet. */
export type UserSchema = object | null | undefined;

export interface UserSchemaSource {
  schemaOf(file: string): UserSchema;
}

let source: UserSchemaSource | null = null;

/** The schema `file` exports, as far as the agent knows it (undefined outside the agent, or not known yet). */
export function userSchemaOf(file: string): UserSchema {
  return source?.schemaOf(file);
}

/** Makes `schemas` the source of user handlers' schemas; returns the way to stop. */
export function useUserSchemas(schemas: UserSchemaSource): () => void {
  source = schemas;
  return () => {
    if (source === schemas) source = null;
  };
}

/** The last line a `--schema` runner printed: `{"schema": …}` or `{"error": "…"}` (the module may print lines of its own before it). */
export function schemaFromRunnerOutput(stdout: string): { readonly schema: object | null; readonly error: string | null } {
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  try {
    const parsed = JSON.parse(last) as { schema?: unknown; error?: unknown };
    if (typeof parsed.error === 'string') return { schema: null, error: parsed.error };
    const schema = parsed.schema;
    return { schema: typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? schema : null, error: null };
  } catch {
    return { schema: null, error: 'the handler runner printed no schema' };
  }
}

const LOAD_LIMIT_MS = 10_000;

export class UserSchemaCache implements UserSchemaSource {
  private readonly known = new Map<string, { readonly mtimeMs: number; readonly schema: object | null }>();
  private readonly loading = new Set<string>();

  constructor(
    private readonly runner: string,
    private readonly workspace: string,
    private readonly learned: (file: string, error: string | null) => void,
  ) {}

  schemaOf(file: string): UserSchema {
    const mtimeMs = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) return null;
    const known = this.known.get(file);
    if (known?.mtimeMs === mtimeMs) return known.schema;
    this.load(file, mtimeMs);
    // An edited handler keeps its last schema until the new one is read.
    return known?.schema;
  }

  private load(file: string, mtimeMs: number): void {
    if (this.loading.has(file)) return;
    this.loading.add(file);
    execFile(
      process.execPath,
      [this.runner, '--schema', file],
      { cwd: this.workspace, timeout: LOAD_LIMIT_MS, maxBuffer: 4 * 1024 * 1024 },
      (failure, stdout) => {
        this.loading.delete(file);
        const read = failure && stdout.trim() === '' ? { schema: null, error: failure.message } : schemaFromRunnerOutput(stdout);
        const before = this.known.get(file);
        this.known.set(file, { mtimeMs, schema: read.schema });
        if (before === undefined || JSON.stringify(before.schema) !== JSON.stringify(read.schema)) this.learned(file, read.error);
      },
    );
  }
}
