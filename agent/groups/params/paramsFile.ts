/**
 * A group's params file: `params.yaml` or `params.ini` in `params_root/<group>/`
 * (both is a problem: the YAML one is used). Read and parsed into a plain JSON
 * object with its problems at file + line; a file that does not parse gives no
 * params (the caller keeps the last good ones).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../../protocol/diagnostics';
import type { GroupParams, JsonValue } from '../protocol';
import { problemAt } from '../problemAt';
import { parseIniParams } from './iniParams';

export const PARAMS_FILE_NAMES = ['params.yaml', 'params.yml', 'params.ini'] as const;

export interface ParamsReading {
  /** The file read (absolute), null when the folder has none. */
  readonly file: string | null;
  /** Null when the file is missing or does not parse. */
  readonly params: GroupParams | null;
  readonly problems: readonly Diagnostic[];
  /** The text read, to tell an edit from a touch. */
  readonly text: string | null;
}

/** The params file(s) present in `folder`. */
export function paramsFilesIn(folder: string): string[] {
  return PARAMS_FILE_NAMES.map((name) => path.join(folder, name)).filter((file) => fs.existsSync(file));
}

function isPlainObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseYamlParams(file: string, text: string): { params: GroupParams | null; problems: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0)
    return {
      params: null,
      problems: document.errors.map((error) => problemAt(file, lineCounter.linePos(error.pos[0]).line, error.message.split('\n')[0]!)),
    };
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return { params: {}, problems: [] };
  if (!isPlainObject(value)) return { params: null, problems: [problemAt(file, 1, 'params.yaml must be a mapping name: value')] };
  return { params: JSON.parse(JSON.stringify(value)) as GroupParams, problems: [] };
}

export function readParamsFile(folder: string): ParamsReading {
  const files = paramsFilesIn(folder);
  const file = files[0];
  if (file === undefined) return { file: null, params: null, problems: [], text: null };
  const problems: Diagnostic[] = files
    .slice(1)
    .map((other) =>
      problemAt(other, 1, `both ${path.basename(file)} and ${path.basename(other)}: ${path.basename(file)} is used`, 'warning'),
    );
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error: unknown) {
    return { file, params: null, problems: [...problems, problemAt(file, 1, `cannot read: ${(error as Error).message}`)], text: null };
  }
  if (file.endsWith('.ini')) {
    const parsed = parseIniParams(text);
    return {
      file,
      params: parsed.params,
      problems: [...problems, ...parsed.problems.map((problem) => problemAt(file, problem.line, problem.message))],
      text,
    };
  }
  const parsed = parseYamlParams(file, text);
  return { file, params: parsed.params, problems: [...problems, ...parsed.problems], text };
}
