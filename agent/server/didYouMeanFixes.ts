/**
 * Quick fixes for the "did you mean …" diagnostics: a diagnostic whose data
 * carries a misspelt word and its likely name (agent/config/suggest.ts) gets a
 * code action that replaces the word inside the diagnostic's range.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

function didYouMean(data: unknown): { word: string; suggestion: string } | null {
  if (typeof data !== 'object' || data === null) return null;
  const { word, suggestion } = data as Record<string, unknown>;
  return typeof word === 'string' && typeof suggestion === 'string' ? { word, suggestion } : null;
}

export function didYouMeanActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const fix = didYouMean(diagnostic.data);
    if (!fix) continue;
    const start = document.offsetAt(diagnostic.range.start);
    const within = document.getText(diagnostic.range).indexOf(fix.word);
    if (within < 0) continue;
    const range = { start: document.positionAt(start + within), end: document.positionAt(start + within + fix.word.length) };
    actions.push({
      title: `Change '${fix.word}' to '${fix.suggestion}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [document.uri]: [{ range, newText: fix.suggestion }] } },
    });
  }
  return actions;
}
