/**
 * Commands about the agent itself: show its log, restart it, stop it, open the config.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentApi } from './agentApi';

export interface AgentControl {
  readonly api: AgentApi;
  /** Stops the agent (and what it supervises) through the CLI's `down`. */
  stopAgent(): Promise<{ ok: boolean; message: string }>;
  /** Starts or reconnects to the agent. */
  restartAgent(): Promise<void>;
}

export function registerAgentCommands(control: AgentControl): vscode.Disposable[] {
  const workspace = control.api.workspaceFolder;
  return [
    vscode.commands.registerCommand('taskwarden.showAgentLog', async () => {
      const uri = vscode.Uri.file(path.join(workspace, '.taskwarden', 'logs', 'agent.log'));
      try {
        const document = await vscode.workspace.openTextDocument(uri);
        const editor = await vscode.window.showTextDocument(document, { preview: true });
        const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
        editor.revealRange(new vscode.Range(end, end));
      } catch {
        void vscode.window.showInformationMessage(`No agent log yet at ${uri.fsPath}.`);
      }
    }),
    vscode.commands.registerCommand('taskwarden.restartAgent', async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Restarting the Taskwarden agent' }, async () => {
        await control.stopAgent();
        await control.restartAgent();
      });
    }),
    vscode.commands.registerCommand('taskwarden.stopAgent', async () => {
      const choice = await vscode.window.showWarningMessage(
        'Stop the Taskwarden agent? Everything it supervises in this workspace is stopped too.',
        { modal: true },
        'Stop Agent',
      );
      if (choice !== 'Stop Agent') return;
      const result = await control.stopAgent();
      if (result.ok) void vscode.window.showInformationMessage(result.message);
      else void vscode.window.showErrorMessage(result.message);
    }),
    vscode.commands.registerCommand('taskwarden.openConfig', async () => {
      const uri = vscode.Uri.file(path.join(workspace, 'taskwarden.yaml'));
      try {
        await vscode.window.showTextDocument(uri);
      } catch {
        const create = await vscode.window.showInformationMessage(`There is no taskwarden.yaml in ${workspace}.`, 'Create It');
        if (create !== 'Create It') return;
        await vscode.workspace.fs.writeFile(uri, Buffer.from('# Taskwarden config: see the README for every section.\ntasks: {}\n'));
        await vscode.window.showTextDocument(uri);
      }
    }),
  ];
}
