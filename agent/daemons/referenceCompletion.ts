/**
 * Task names where a daemon names another: in `requires` (one name, a list,
 * or a flow list) and in an `onexit` entry's `task`.
 */
import type { CompletionItem } from 'vscode-languageserver';
import { nameCompletionItems } from '../core/completionItems';
import type { PropertyPath } from '../config/diagnostic';
import { cursorPlace, entryNames, plainData } from '../config/yamlCursor';

function refersToTask(path: PropertyPath): boolean {
  if (path[0] !== 'tasks' || path.length < 3) return false;
  if (path[2] === 'requires') return path.length === 3 || (path.length === 4 && typeof path[3] === 'number');
  return path[2] === 'onexit' && path.length === 5 && typeof path[3] === 'number' && path[4] === 'task';
}

export function daemonReferenceCompletion(text: string, line: number, character: number): CompletionItem[] {
  const place = cursorPlace(text, line, character);
  if (!place) return [];
  // `- na` under requires: a list item being written, not a key.
  const valuePath = place.kind === 'value' ? place.path : place.inListItem ? place.path : null;
  if (valuePath === null || !refersToTask(valuePath)) return [];
  const names = entryNames(plainData(text), 'tasks').filter((name) => name !== valuePath[1]);
  return nameCompletionItems(place, names, 'task');
}
