/**
 * Language features for taskwarden.yaml over the client's LSP connection:
 * diagnostics as the user types (the loader run on the unsaved buffer) with
 * quick fixes for their "did you mean"s, completion and hovers of keys from
 * the JSON Schema, and the outline. Parts add code lenses, hovers and the
 * names they know through `LanguageContributions`.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, TextDocuments, type Connection, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic } from '../config/diagnostic';
import { diagnosticsOf, type LoadResult } from '../config/loadResult';
import type { LanguageContributions } from '../core/languageContributions';
import { configSymbols } from './configSymbols';
import { didYouMeanActions } from './didYouMeanFixes';
import { keyHover, mergedHover } from './keyHover';
import { schemaCompletions } from './schemaCompletion';

export interface LanguageFeatureOptions {
  /** The config file followed now (a reload may switch it). */
  readonly configFile: () => string;
  readonly check: (text: string) => LoadResult;
  readonly contributions: () => readonly LanguageContributions[];
  /** The editor completes, explains and outlines keys itself (Red Hat's YAML extension): leave those to it. */
  readonly yamlSchemaSupport: () => boolean;
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
    ...(diagnostic.didYouMean ? { data: diagnostic.didYouMean } : {}),
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
    void connection.sendDiagnostics({
      uri: document.uri,
      version: document.version,
      diagnostics: diagnosticsOf(result).map(toLspDiagnostic),
    });
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
  const configDocument = (uri: string): TextDocument | undefined => {
    const document = documents.get(uri);
    return document && isConfigDocument(document.uri, options.configFile()) ? document : undefined;
  };
  connection.onHover(({ textDocument, position }) => {
    const document = configDocument(textDocument.uri);
    if (!document) return null;
    const text = document.getText();
    const hovers = options.contributions().map((contribution) => contribution.hover(text, position.line, position.character));
    if (!options.yamlSchemaSupport()) hovers.push(keyHover(text, position.line, position.character));
    return mergedHover(hovers);
  });
  connection.onCompletion(({ textDocument, position }) => {
    const document = configDocument(textDocument.uri);
    if (!document) return [];
    const text = document.getText();
    const fromParts = options
      .contributions()
      .flatMap((contribution) => contribution.completion?.(text, position.line, position.character) ?? []);
    return options.yamlSchemaSupport() ? fromParts : [...schemaCompletions(text, position.line, position.character), ...fromParts];
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const document = configDocument(textDocument.uri);
    return document ? didYouMeanActions(document, context.diagnostics) : [];
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const document = configDocument(textDocument.uri);
    // The YAML extension outlines every key already: a second provider would show the file twice.
    return document && !options.yamlSchemaSupport() ? configSymbols(document.getText()) : [];
  });
  connection.onShutdown(() => {
    for (const timer of pending.values()) clearTimeout(timer);
  });
  documents.listen(connection);
}
