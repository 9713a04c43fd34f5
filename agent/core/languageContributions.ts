/**
 * What a part adds to the editing of taskwarden.yaml: code lenses above its
 * entries, hovers on them and completions of the names it knows where its
 * config refers to them (served by agent/server/languageFeatures.ts, merged
 * with the keys and values of the JSON Schema).
 */
import type { CodeLens, CompletionItem, Hover } from 'vscode-languageserver';

export interface LanguageContributions {
  codeLenses(text: string): CodeLens[];
  hover(text: string, line: number, character: number): Hover | null;
  /** Items at (line, character): names where a reference is expected, keys the schema cannot know (agent/core/completionItems.ts). */
  completion?(text: string, line: number, character: number): CompletionItem[];
}
