/**
 * Registers a tree for each of the five views: a part's own view when the
 * extension has the part (extension/parts.ts), else a placeholder whose welcome
 * text says what the view will hold.
 */
import * as vscode from 'vscode';
import { PARTS, type PartName } from '../../agent/protocol';
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
export function registerPlaceholderViews(): vscode.Disposable[] {
  return PARTS.map((part) => vscode.window.createTreeView(viewIdOf(part), { treeDataProvider: new PlaceholderTreeProvider() }));
}

export function registerViews(parts: readonly ExtensionPart[], agent: AgentApi, context: vscode.ExtensionContext): vscode.Disposable[] {
  return PARTS.map((name) => {
    const part = parts.find((candidate) => candidate.name === name);
    if (part) return part.createView(agent, context);
    return vscode.window.createTreeView(viewIdOf(name), { treeDataProvider: new PlaceholderTreeProvider() });
  });
}
