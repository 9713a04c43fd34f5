/**
 * Code lenses for taskwarden.yaml's `groups:` section: above `groups:`, the
 * groups' count and states; above each `groups.each` entry, that group's
 * description (agent/groups/protocol/presentation.ts) or "no such folder";
 * under `groups.each`, the group folders not listed yet complete as keys.
 * Diagnostics of the section come from the config check (config/groupsConfig.ts).
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import type { CodeLens, CompletionItem } from 'vscode-languageserver';
import { nameCompletionItems } from '../core/completionItems';
import { cursorPlace } from '../config/yamlCursor';
import type { LanguageContributions } from '../core/languageContributions';
import { rangeOfOffsets, type TextRange } from '../config/yamlPositions';
import type { GroupSummary } from './protocol';
import { groupDescription } from './protocol';
import { counted } from '../protocol/counts';

/** The `groups:` key's range and each `groups.each` entry's, 1-based. */
export function groupKeyRanges(text: string): { section: TextRange | null; each: Map<string, TextRange> } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const each = new Map<string, TextRange>();
  if (!isMap(document.contents)) return { section: null, each };
  const groups = document.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'groups');
  if (!groups || !isScalar(groups.key) || !groups.key.range) return { section: null, each };
  const section = rangeOfOffsets(lineCounter, groups.key.range[0], groups.key.range[1]);
  if (!isMap(groups.value)) return { section, each };
  const entries = groups.value.items.find((pair) => isScalar(pair.key) && pair.key.value === 'each');
  if (entries && isMap(entries.value))
    for (const item of entries.value.items) {
      if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
      each.set(String(item.key.value), rangeOfOffsets(lineCounter, item.key.range[0], item.key.range[1]));
    }
  return { section, each };
}

function at(range: TextRange): CodeLens['range'] {
  const position = { line: range.line - 1, character: range.column - 1 };
  return { start: position, end: position };
}

export function groupsLanguageContribution(summaries: () => readonly GroupSummary[]): LanguageContributions {
  return {
    codeLenses(text: string): CodeLens[] {
      const ranges = groupKeyRanges(text);
      if (ranges.section === null) return [];
      const groups = summaries();
      const now = Date.now();
      const running = groups.filter((group) => group.state === 'running').length;
      const lenses: CodeLens[] = [
        { range: at(ranges.section), command: { title: `$(layers) ${counted(groups.length, 'group')}, ${running} running`, command: '' } },
      ];
      for (const [name, range] of ranges.each) {
        const group = groups.find((candidate) => candidate.name === name);
        const title = group ? `$(layers) ${groupDescription(group, now)}` : '$(warning) no such group folder under the groups root';
        lenses.push({ range: at(range), command: { title, command: '' } });
      }
      return lenses;
    },
    hover: () => null,
    completion(text: string, line: number, character: number): CompletionItem[] {
      const place = cursorPlace(text, line, character);
      if (place?.kind !== 'key' || place.path.length !== 2 || place.path[0] !== 'groups' || place.path[1] !== 'each') return [];
      const names = summaries()
        .map((group) => group.name)
        .filter((name) => !place.siblings.includes(name));
      return nameCompletionItems(place, names, 'process group', true);
    },
  };
}
