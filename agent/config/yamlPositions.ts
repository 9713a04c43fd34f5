/**
 * Maps a property path in a parsed YAML document to the text range of its key
 * or value, so semantic checks can report problems by path.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PropertyPath } from './diagnostic';

export interface TextRange {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

interface Located {
  readonly key?: Node | undefined;
  readonly value?: Node | undefined;
}

/** Finds the deepest node along `path`; stops at the last one that exists. */
function locate(document: Document, path: PropertyPath): Located {
  let current: Located = { value: document.contents ?? undefined };
  for (const segment of path) {
    const container = current.value;
    if (isMap(container)) {
      const pair = container.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return current;
      current = { key: pair.key as Node, value: (pair.value as Node | null) ?? (pair.key as Node) };
    } else if (isSeq(container) && typeof segment === 'number') {
      const item = container.items[segment] as Node | undefined;
      if (!item) return current;
      current = { value: item };
    } else {
      return current;
    }
  }
  return current;
}

/** The range of the value at `path` (or of its key with `atKey`); the file start if absent. */
export function rangeOfPath(document: Document, lineCounter: LineCounter, path: PropertyPath, atKey = false): TextRange {
  const located = locate(document, path);
  const node = (atKey ? (located.key ?? located.value) : (located.value ?? located.key)) ?? undefined;
  const range = node?.range;
  if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return rangeOfOffsets(lineCounter, range[0], range[1]);
}

export function rangeOfOffsets(lineCounter: LineCounter, start: number, end: number): TextRange {
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(Math.max(start, end));
  return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}
