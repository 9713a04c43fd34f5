/**
 * The code lenses of a tasklet file (a .js/.mjs/.ts/.py file the agent runs as
 * a tasklet of a group): above `main`, its last run, duration and result
 * (clicking it shows the group's output), and Run Round Now. The lenses are
 * asked for again whenever the groups model changes; the last run is a clock
 * time, so nothing moves between changes. A file that is not (or no longer)
 * one of the agent's tasklets gets none: a file without `main` is reported in
 * Problems instead (groupDiagnostics.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { taskletLensText } from './groupFormat';
import type { GroupsModel } from './groupsModel';
import { findMainLine, taskletLanguageOf } from './taskletMainLine';

class TaskletLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly stopListening: () => void;

  constructor(private readonly model: GroupsModel) {
    this.stopListening = model.onChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== 'file') return [];
    const language = taskletLanguageOf(path.basename(document.uri.fsPath));
    const found = language ? this.model.taskletOfFile(document.uri.fsPath) : undefined;
    if (!language || !found) return [];
    // The runner's line of main is as of its last load; the text scan follows edits not yet saved.
    const line = findMainLine(document.getText(), language) ?? (found.tasklet.mainLine === null ? 0 : found.tasklet.mainLine - 1);
    const range = new vscode.Range(line, 0, line, 0);
    const group = found.group.name;
    return [
      new vscode.CodeLens(range, {
        title: `${taskletLensText(found.tasklet)} (${group})`,
        tooltip: `Show the output of group ${group}`,
        command: 'taskwarden.showGroupOutput',
        arguments: [group],
      }),
      new vscode.CodeLens(range, {
        title: 'Run Round Now',
        tooltip: `Run one round of group ${group} now`,
        command: 'taskwarden.runGroupRound',
        arguments: [group],
      }),
    ];
  }

  dispose(): void {
    this.stopListening();
    this.changed.dispose();
  }
}

/** The lens provider for tasklet files of every group. */
export function registerTaskletLenses(model: GroupsModel): vscode.Disposable {
  const provider = new TaskletLensProvider(model);
  const selector: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.{js,mjs,ts,py}' }];
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(selector, provider));
}
