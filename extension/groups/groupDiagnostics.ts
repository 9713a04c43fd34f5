/**
 * The Problems of process groups that live outside taskwarden.yaml: a tasklet
 * without `main`, a bad `priority`, a folder mixing languages, a params file
 * that does not parse (at its line). The agent finds them when it loads a
 * group and reports them with the groups; this collection shows exactly what
 * the last read said, replacing the previous set (a fixed file loses its
 * problems). The `groups:` section's own problems come with taskwarden.yaml's
 * diagnostics over the language client, not here.
 */
import * as vscode from 'vscode';
import type { Diagnostic } from '../../agent/protocol';

/** The Problems panel's source of these diagnostics. */
export const GROUP_DIAGNOSTICS_SOURCE = 'taskwarden groups';

function toVsCode(diagnostic: Diagnostic): vscode.Diagnostic {
  // The protocol's lines and columns are 1-based; an end before the start (unknown) marks the whole line.
  const start = new vscode.Position(Math.max(0, diagnostic.line - 1), Math.max(0, diagnostic.column - 1));
  const end =
    diagnostic.endLine > diagnostic.line || (diagnostic.endLine === diagnostic.line && diagnostic.endColumn > diagnostic.column)
      ? new vscode.Position(diagnostic.endLine - 1, diagnostic.endColumn - 1)
      : new vscode.Position(start.line, Number.MAX_SAFE_INTEGER);
  const shown = new vscode.Diagnostic(
    new vscode.Range(start, end),
    diagnostic.message,
    diagnostic.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  shown.source = GROUP_DIAGNOSTICS_SOURCE;
  return shown;
}

/** The groups' diagnostics in the Problems panel. */
export class GroupDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('taskwarden-groups');
  /** What was shown last, so an unchanged read does not touch the panel. */
  private shown = '';

  /** Shows these diagnostics (absolute file paths) instead of the previous ones. */
  show(diagnostics: readonly Diagnostic[]): void {
    const key = JSON.stringify(diagnostics);
    if (key === this.shown) return;
    this.shown = key;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const diagnostic of diagnostics) {
      const list = byFile.get(diagnostic.file) ?? [];
      list.push(toVsCode(diagnostic));
      byFile.set(diagnostic.file, list);
    }
    this.collection.clear();
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
