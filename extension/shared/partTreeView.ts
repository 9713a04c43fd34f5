/**
 * The tree view every part's view is made of: its tree provider under the
 * view's id, the view's chosen order (title action and title line), the rows
 * redrawn when the order changes, and the tree told whether it is visible (it
 * keeps its clocks moving only then). The part adds what is its own: badge,
 * outputs, commands, lenses.
 */
import * as vscode from 'vscode';
import { ViewOrdering } from './viewOrdering';

/** What the shared wiring needs of a part's tree provider. */
export interface PartTree<N> extends vscode.TreeDataProvider<N>, vscode.Disposable {
  setVisible(visible: boolean): void;
  /** Draws every row again (the order changed). */
  redrawAll(): void;
}

/** The node type of a part's tree provider. */
type NodeOf<T> = T extends PartTree<infer N> ? N : never;

export interface PartTreeViewOptions<T> {
  /** The view's id (package.json `views`). */
  readonly viewId: string;
  /** The view's "order by" title command (package.json). */
  readonly orderCommand: string;
  readonly context: vscode.ExtensionContext;
  readonly tree: (ordering: ViewOrdering) => T;
  readonly canSelectMany?: boolean;
}

export interface PartTreeView<T> {
  readonly treeView: vscode.TreeView<NodeOf<T>>;
  readonly tree: T;
  /** Disposes the view, its tree and its ordering. */
  readonly disposable: vscode.Disposable;
}

export function createPartTreeView<T extends PartTree<NodeOf<T>>>(options: PartTreeViewOptions<T>): PartTreeView<T> {
  const ordering = new ViewOrdering({ viewId: options.viewId, command: options.orderCommand }, options.context.workspaceState);
  const tree = options.tree(ordering);
  const treeView = vscode.window.createTreeView(options.viewId, {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: options.canSelectMany ?? false,
  });
  ordering.showIn(treeView);
  tree.setVisible(treeView.visible);
  const disposable = vscode.Disposable.from(
    treeView,
    tree,
    ordering,
    ordering.onDidChange(() => tree.redrawAll()),
    treeView.onDidChangeVisibility((event) => tree.setVisible(event.visible)),
  );
  return { treeView, tree, disposable };
}

/** A part model's change event, as every model of the extension offers it. */
export interface ChangingModel {
  onChange(listener: () => void): () => void;
}

/** Runs `update` now and after each change of `model`, until disposed. */
export function followModel(model: ChangingModel, update: () => void): vscode.Disposable {
  update();
  return new vscode.Disposable(model.onChange(update));
}
