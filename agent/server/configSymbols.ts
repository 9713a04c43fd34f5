/**
 * The outline of taskwarden.yaml: each section (tasks, queues, jobs, groups…)
 * with its entries as children (the daemons, queues, jobs, group settings).
 */
import { isMap, isScalar, type LineCounter, type Node } from 'yaml';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver';
import { parsedYaml } from '../config/parsedYaml';
import { keyName } from '../config/yamlCursor';

function rangeOf(lineCounter: LineCounter, start: number, end: number): Range {
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(Math.max(start, end));
  return { start: { line: from.line - 1, character: from.col - 1 }, end: { line: to.line - 1, character: to.col - 1 } };
}

function symbolsOf(text: string, map: unknown, lineCounter: LineCounter, depth: number): DocumentSymbol[] {
  if (!isMap(map)) return [];
  const symbols: DocumentSymbol[] = [];
  for (const pair of map.items) {
    const name = keyName(pair.key);
    if (name === undefined || !isScalar(pair.key) || !pair.key.range) continue;
    const value = pair.value as Node | null;
    const keyRange = rangeOf(lineCounter, pair.key.range[0], pair.key.range[1]);
    let end = value?.range ? value.range[1] : pair.key.range[1];
    // A block's range runs to the next line's start: end the symbol on its last character.
    while (end > pair.key.range[1] && /\s/.test(text[end - 1] ?? '')) end -= 1;
    symbols.push({
      name,
      kind: depth === 0 ? SymbolKind.Namespace : isMap(value) ? SymbolKind.Object : SymbolKind.Property,
      range: rangeOf(lineCounter, pair.key.range[0], end),
      selectionRange: keyRange,
      children: depth === 0 ? symbolsOf(text, value, lineCounter, depth + 1) : [],
    });
  }
  return symbols;
}

export function configSymbols(text: string): DocumentSymbol[] {
  const { document, lineCounter } = parsedYaml(text);
  return symbolsOf(text, document.contents, lineCounter, 0);
}
