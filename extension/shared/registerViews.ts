/**
 * Registers the tree of each part's view (extension/parts.ts): the part's own,
 * or in a window without a folder an empty one whose welcome text asks for one.
 */
import * as vscode from 'vscode';
import type { PartName } from '../../agent/protocol';
import type { AgentApi } from './agentApi';
import { PlaceholderTreeProvider } from './placeholderView';

/** Creates a part's view with its commands; disposing it removes both. */
export type ViewFactory = (agent: AgentApi, context: vscode.ExtensionContext) => vscode.Disposable;

/** A part of the extension: its view, whose folder also holds its commands and output. */
export interface ExtensionPart {
  readonly name: PartName;
  readonly createView: ViewFactory;
}

/** The view of each part, as package.json contributes it. */
export function viewIdOf(part: PartName): string {
  return `taskwarden.${part}`;
}

/** Empty trees for every view (a window without a folder): the welcome text asks for one. */
export function registerPlaceholderViews(parts: readonly ExtensionPart[]): vscode.Disposable[] {
  return parts.map((part) => vscode.window.createTreeView(viewIdOf(part.name), { treeDataProvider: new PlaceholderTreeProvider() }));
}

export function registerViews(parts: readonly ExtensionPart[], agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable[] {
  return parts.map((part) => part.createView(agent, context));
}
