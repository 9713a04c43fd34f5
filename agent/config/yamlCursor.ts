/**
 * Where the cursor is in taskwarden.yaml, by property path, for the editor's
 * help. A half-typed line does not parse as what it will become, so the word
 * under the cursor is replaced by a marker (`MARK: ` where a key is being
 * written, `MARK` where a value is) and the yaml library's AST of that text
 * is searched for the marker. Pure.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { PropertyPath } from './diagnostic';
import { parsedYaml } from './parsedYaml';

export interface CursorPlace {
  /** 'key': a key of the mapping at `path` is being written; 'value': the value at `path`. */
  readonly kind: 'key' | 'value';
  readonly path: PropertyPath;
  /** A key written as a list item (`- na`): a scalar item at `path` if the list holds no mappings. */
  readonly inListItem: boolean;
  /** Inside a flow mapping (`{a: 1, ‸}`): a key's value goes on the same line. */
  readonly inFlowMapping: boolean;
  /** The word under the cursor and its characters on the line (0-based, end exclusive). */
  readonly word: string;
  readonly line: number;
  readonly from: number;
  readonly to: number;
  /** The keys already in the mapping (kind 'key'). */
  readonly siblings: readonly string[];
}

/** A key under the cursor, with its path (the key's own name last). */
export interface KeyAt {
  readonly path: PropertyPath;
  readonly line: number;
  readonly from: number;
  readonly to: number;
}

const MARK = 'twCursorMark0';

/**
 * `compute` that answers a call with the same arguments as the last one from
 * memory: one completion request asks every part where the cursor is, and the
 * text with the marker takes a parse of its own (a large file's is slow). The
 * answer kept is small; the parse of the text itself is parsedYaml.ts's.
 */
function lastCallKept<A extends unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((arg, index) => arg === args[index])) return last.result;
    const result = compute(...args);
    last = { args, result };
    return result;
  };
}
const WORD_CHAR = /[^\s:,[\]{}#'"]/;

interface Found {
  readonly path: PropertyPath;
  readonly kind: 'key' | 'value';
  readonly siblings: readonly string[];
}

/** A key's name: a scalar's text (a number or true is a name too), else undefined. */
export function keyName(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const value = key.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function findMark(node: unknown, path: PropertyPath): Found | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = keyName(pair.key);
      if (name === MARK) {
        const siblings = node.items.map((item) => keyName(item.key)).filter((key): key is string => key !== undefined && key !== MARK);
        return { path, kind: 'key', siblings };
      }
      if (name === undefined) continue;
      if (isScalar(pair.value) && pair.value.value === MARK) return { path: [...path, name], kind: 'value', siblings: [] };
      const inside = findMark(pair.value, [...path, name]);
      if (inside) return inside;
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      if (isScalar(item) && item.value === MARK) return { path: [...path, index], kind: 'value', siblings: [] };
      const inside = findMark(item, [...path, index]);
      if (inside) return inside;
    }
  }
  return undefined;
}

/** What is being written at (line, character), or null where no key or value is (a comment, a block scalar's text…). */
export const cursorPlace = lastCallKept(placeAt);

function placeAt(text: string, line: number, character: number): CursorPlace | null {
  const lines = text.split('\n');
  const current = (lines[line] ?? '').replace(/\r$/, '');
  const at = Math.min(character, current.length);
  let from = at;
  while (from > 0 && WORD_CHAR.test(current[from - 1]!)) from -= 1;
  let to = at;
  while (to < current.length && WORD_CHAR.test(current[to]!)) to += 1;
  const before = current.slice(0, from);
  const after = current.slice(to);
  let patched: string;
  let inFlowMapping = false;
  if (/^\s*(-\s+)*$/.test(before)) patched = `${before}${MARK}${/^\s*:/.test(after) ? after : `: ${after.trim() === '' ? '' : after}`}`;
  else if (/^\s*(-\s+)*[^\s#-][^#]*?:\s+$/.test(before) || /:\s*\[([^\]#]*,\s*)?$/.test(before)) patched = `${before}${MARK}${after}`;
  // A key of a flow mapping: `{start: [x], ‸}`.
  else if (/\{([^#]*,)?\s*$/.test(before)) {
    patched = `${before}${MARK}: ${after}`;
    inFlowMapping = true;
  } else return null;
  lines[line] = patched;
  const document = parseDocument(lines.join('\n'), { uniqueKeys: false, prettyErrors: false });
  const found = findMark(document.contents, []);
  if (!found) return null;
  return {
    ...found,
    inListItem: /-\s+$/.test(before),
    inFlowMapping,
    word: current.slice(from, at),
    line,
    from,
    to,
  };
}

function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let index = 0; index < line; index += 1) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + character;
}

function keyAround(node: unknown, path: PropertyPath, offset: number): { path: PropertyPath; range: [number, number] } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const name = keyName(pair.key);
      if (name === undefined) continue;
      const range = (pair.key as Node).range;
      if (range && offset >= range[0] && offset <= range[1]) return { path: [...path, name], range: [range[0], range[1]] };
      const inside = keyAround(pair.value, [...path, name], offset);
      if (inside) return inside;
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const inside = keyAround(item, [...path, index], offset);
      if (inside) return inside;
    }
  }
  return undefined;
}

/** The text as plain data, as far as it parses (an unfinished line leaves the rest readable); {} for none. */
export function plainData(text: string): Record<string, unknown> {
  try {
    const data: unknown = parsedYaml(text).document.toJS({ maxAliasCount: 1000 });
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The names of the mapping `data[section]` (a section's entries: tasks, queues…). */
export function entryNames(data: Record<string, unknown>, section: string): string[] {
  const entries = data[section];
  return typeof entries === 'object' && entries !== null && !Array.isArray(entries) ? Object.keys(entries) : [];
}

/** The key under (line, character), or null. */
export function keyAt(text: string, line: number, character: number): KeyAt | null {
  const found = keyAround(parsedYaml(text).document.contents, [], offsetOf(text, line, character));
  if (!found) return null;
  const lineStart = offsetOf(text, line, 0);
  return { path: found.path, line, from: found.range[0] - lineStart, to: found.range[1] - lineStart };
}
