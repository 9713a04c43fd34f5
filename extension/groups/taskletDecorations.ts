/**
 * A tree row's label can only take a color from a file decoration on its
 * `resourceUri`, so a failed tasklet's row carries a URI of this scheme and
 * this provider paints every such URI in the theme's error color. The URI
 * names the group and tasklet only to be unique; it is never opened.
 */
import * as vscode from 'vscode';

const SCHEME = 'taskwarden-tasklet';

/** The URI of a failed tasklet's row. */
export function failedTaskletUri(group: string, tasklet: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${group}/${tasklet}` });
}

/** Paints failed tasklets' labels red. */
export function registerTaskletDecorations(): vscode.Disposable {
  return vscode.window.registerFileDecorationProvider({
    provideFileDecoration: (uri) =>
      uri.scheme === SCHEME ? { color: new vscode.ThemeColor('list.errorForeground'), tooltip: 'Failed in its last run' } : undefined,
  });
}
