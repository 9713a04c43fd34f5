/**
 * Where each task is written in taskwarden.yaml: the range of its key under
 * `tasks`, for "Go to Config", code lenses and hovers. Works on any text the
 * YAML parser can read, even one with errors elsewhere.
 */
import { isMap, isPair, isScalar } from 'yaml';
import { parsedYaml } from '../config/parsedYaml';
import { rangeOfOffsets, type TextRange } from '../config/yamlPositions';

/** Task name → the range of its key (1-based lines and columns), in file order. */
export function taskKeyRanges(text: string): Map<string, TextRange> {
  const { document, lineCounter } = parsedYaml(text);
  const ranges = new Map<string, TextRange>();
  if (!isMap(document.contents)) return ranges;
  const tasks = document.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'tasks');
  if (!tasks || !isMap(tasks.value)) return ranges;
  for (const item of tasks.value.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    ranges.set(String(item.key.value), rangeOfOffsets(lineCounter, item.key.range[0], item.key.range[1]));
  }
  return ranges;
}

/** Task name → 1-based line of its key. */
export function taskLines(text: string): Map<string, number> {
  return new Map([...taskKeyRanges(text)].map(([name, range]) => [name, range.line]));
}
