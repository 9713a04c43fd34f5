/**
 * `queue push --stdin`: one item per line, a JSON array of argv or an object
 * `{id, cmd, cwd, env, after}`. Pure: the whole input is parsed before anything
 * is sent, and a bad line is named by its number (blank lines are skipped; no item at all is refused).
 */
import { ResponseError } from 'vscode-jsonrpc';
import { failed, ok, type Failure, type Result } from '../../result';
import type { PushItemSpec } from '../protocol';

/** The items in order with the line each came from, or the first bad line (its number in the message), or no item at all. */
export type ParsedLines = Result<{ readonly items: PushItemSpec[]; readonly lines: number[] }, Failure<'bad-line' | 'no-items'>>;

const KEYS = new Set(['id', 'cmd', 'cwd', 'env', 'after']);

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((element) => typeof element === 'string');
}

function parseItem(value: unknown): PushItemSpec | string {
  if (isStringArray(value)) return value.length > 0 ? { cmd: value } : 'the command is empty';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'expected a JSON array of strings (argv) or an object {id, cmd, cwd, env, after}';
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !KEYS.has(key));
  if (unknown.length > 0) return `unknown key ${unknown.map((key) => `'${key}'`).join(', ')} (expected id, cmd, cwd, env, after)`;
  if (!isStringArray(record.cmd) || record.cmd.length === 0) return "'cmd' must be a non-empty array of strings";
  if (record.id !== undefined && (typeof record.id !== 'string' || record.id === '')) return "'id' must be a non-empty string";
  if (record.cwd !== undefined && typeof record.cwd !== 'string') return "'cwd' must be a string";
  if (record.after !== undefined && !isStringArray(record.after)) return "'after' must be an array of ids";
  let env: Record<string, string> | undefined;
  if (record.env !== undefined) {
    if (typeof record.env !== 'object' || record.env === null || Array.isArray(record.env)) return "'env' must be an object of strings";
    env = {};
    for (const [key, item] of Object.entries(record.env as Record<string, unknown>)) {
      if (typeof item !== 'string') return `'env.${key}' must be a string`;
      env[key] = item;
    }
  }
  return {
    cmd: record.cmd,
    ...(record.id !== undefined ? { id: record.id as string } : {}),
    ...(record.cwd !== undefined ? { cwd: record.cwd as string } : {}),
    ...(env !== undefined ? { env } : {}),
    ...(record.after !== undefined ? { after: record.after as string[] } : {}),
  };
}

export function parsePushLines(text: string, source = 'stdin'): ParsedLines {
  const items: PushItemSpec[] = [];
  const lines: number[] = [];
  const idLines = new Map<string, number>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error: unknown) {
      return badLine(`${source} line ${index + 1}: not JSON (${(error as Error).message})`);
    }
    const item = parseItem(value);
    if (typeof item === 'string') return badLine(`${source} line ${index + 1}: ${item}`);
    if (item.id !== undefined) {
      const first = idLines.get(item.id);
      if (first !== undefined) return badLine(`${source} line ${index + 1}: the id '${item.id}' is given again (first on line ${first})`);
      idLines.set(item.id, index + 1);
    }
    items.push(item);
    lines.push(index + 1);
  }
  // An empty batch is most often a script's empty input by mistake: saying "ok" would hide it.
  if (items.length === 0)
    return failed({ reason: 'no-items', message: `nothing to push: ${source} had no items (only blank lines or nothing)` });
  return ok({ items, lines });
}

/**
 * A refused push in the words of the input: the agent names a bad item by its place in the batch
 * (`data.item`, "item N: …"); a --stdin user knows it by its line.
 */
export function atLine(error: unknown, lines: readonly number[], source = 'stdin'): unknown {
  if (!(error instanceof ResponseError)) return error;
  const item = (error.data as { item?: unknown } | undefined)?.item;
  const line = typeof item === 'number' ? lines[item] : undefined;
  if (line === undefined) return error;
  return new Error(`${source} line ${line}: ${error.message.replace(/^item \d+: /, '')}`);
}

function badLine(message: string): ParsedLines {
  return failed({ reason: 'bad-line', message });
}

/** `K=V` of `--env`, or null when there is no `=` or no name. */
export function parseEnvAssignment(text: string): readonly [string, string] | null {
  const at = text.indexOf('=');
  if (at <= 0) return null;
  return [text.slice(0, at), text.slice(at + 1)];
}
