/**
 * Language features for taskwarden.yaml over the client's LSP connection:
 * diagnostics as the user types (the loader run on the unsaved buffer). Parts
 * add code lenses and hovers through `LanguageContributions`.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, TextDocuments, type Connection, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic } from '../config/diagnostic';
import type { LoadResult } from '../config/loader';
import type { LanguageContributions } from '../core/languageContributions';

export interface LanguageFeatureOptions {
  /** The config file followed now (a reload may switch it). */
  readonly configFile: () => string;
  readonly check: (text: string) => LoadResult;
  readonly contributions: () => readonly LanguageContributions[];
}

const DIAGNOSTIC_DELAY_MS = 150;

export function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  return {
    range: {
      start: { line: diagnostic.line - 1, character: diagnostic.column - 1 },
      end: { line: diagnostic.endLine - 1, character: Math.max(diagnostic.endColumn - 1, diagnostic.column) },
    },
    severity: diagnostic.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'taskwarden',
    message: diagnostic.message,
  };
}

function isConfigDocument(uri: string, configFile: string): boolean {
  if (!uri.startsWith('file:')) return false;
  return path.resolve(fileURLToPath(uri)) === path.resolve(configFile);
}

export function attachLanguageFeatures(connection: Connection, options: LanguageFeatureOptions): void {
  const documents = new TextDocuments(TextDocument);
  const pending = new Map<string, NodeJS.Timeout>();

  const publish = (document: TextDocument): void => {
    if (!isConfigDocument(document.uri, options.configFile())) return;
    const result = options.check(document.getText());
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: result.diagnostics.map(toLspDiagnostic) });
  };

  documents.onDidChangeContent(({ document }) => {
    clearTimeout(pending.get(document.uri));
    pending.set(
      document.uri,
      setTimeout(() => publish(document), DIAGNOSTIC_DELAY_MS),
    );
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCodeLens(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    if (!document || !isConfigDocument(document.uri, options.configFile())) return [];
    return options.contributions().flatMap((contribution) => contribution.codeLenses(document.getText()));
  });
  connection.onHover(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (!document || !isConfigDocument(document.uri, options.configFile())) return null;
    for (const contribution of options.contributions()) {
      const hover = contribution.hover(document.getText(), position.line, position.character);
      if (hover) return hover;
    }
    return null;
  });
  connection.onShutdown(() => {
    for (const timer of pending.values()) clearTimeout(timer);
  });
  documents.listen(connection);
}
