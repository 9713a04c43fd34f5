/**
 * What a part adds to the editing of taskwarden.yaml: code lenses above its
 * entries and hovers on them (served by agent/server/languageFeatures.ts).
 */
import type { CodeLens, Hover } from 'vscode-languageserver';

export interface LanguageContributions {
  codeLenses(text: string): CodeLens[];
  hover(text: string, line: number, character: number): Hover | null;
}
