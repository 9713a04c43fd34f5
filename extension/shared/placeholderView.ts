/**
 * The tree of a part that has nothing to show (not built yet, or no agent):
 * empty, so the view's welcome text (package.json `viewsWelcome`) explains why.
 */
import type * as vscode from 'vscode';

export class PlaceholderTreeProvider implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }
}
