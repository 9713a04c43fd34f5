/**
 * Extension entry point: finds the workspace, respects Workspace Trust (nothing
 * starts before the user trusts the folder), starts or reconnects to the agent,
 * and wires views, commands and the status bar to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionState } from './agentApi';
import { AgentClient } from './agentClient';
import { runCli } from './agentLauncher';
import { registerAgentCommands } from './commands/agentCommands';
import { findNodeRuntime } from './nodeRuntime';
import { createStatusBar } from './statusBar';
import { registerViews } from './views/registerViews';
import { UntrustedAgent } from './untrustedAgent';

/** The folder whose agent this window talks to: the first with a taskwarden.yaml, else the first. */
function pickWorkspaceFolder(): string | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const withConfig = folders.find((folder) => fs.existsSync(path.join(folder.uri.fsPath, 'taskwarden.yaml')));
  return (withConfig ?? folders[0])?.uri.fsPath;
}

function setContext(state: ConnectionState): void {
  void vscode.commands.executeCommand('setContext', 'taskwarden.agentState', state.kind);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const workspaceFolder = pickWorkspaceFolder();
  if (!workspaceFolder) {
    setContext({ kind: 'stopped' });
    return;
  }
  const output = vscode.window.createOutputChannel('Taskwarden', { log: true });
  context.subscriptions.push(output);

  if (vscode.workspace.isTrusted) {
    await startTrusted(context, workspaceFolder, output);
    return;
  }
  const untrusted = new UntrustedAgent(workspaceFolder);
  setContext(untrusted.state);
  const restrictedUi = vscode.Disposable.from(createStatusBar(untrusted), ...registerViews(untrusted, context));
  context.subscriptions.push(restrictedUi);
  output.info('Workspace is not trusted: the Taskwarden agent is not started.');
  // Trusting the folder starts everything in place, without a window reload.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      restrictedUi.dispose();
      void startTrusted(context, workspaceFolder, output);
    }),
  );
}

/** Connects to (or starts) the agent and wires the views, commands and status bar to it. */
async function startTrusted(context: vscode.ExtensionContext, workspaceFolder: string, output: vscode.LogOutputChannel): Promise<void> {
  const nodePath = vscode.workspace.getConfiguration('taskwarden').get<string>('nodePath');
  const runtime = await findNodeRuntime(nodePath);
  const agent = new AgentClient({
    workspaceFolder,
    extensionPath: context.extensionPath,
    nodePath: runtime.ok ? runtime.path : 'node',
    outputChannel: output,
  });
  context.subscriptions.push(agent, agent.onDidChangeState(setContext));
  setContext(agent.state);
  context.subscriptions.push(createStatusBar(agent), ...registerViews(agent, context));
  context.subscriptions.push(
    ...registerAgentCommands({
      api: agent,
      restartAgent: () =>
        agent.start().catch((error: unknown) => void vscode.window.showErrorMessage(`Taskwarden: ${(error as Error).message}`)),
      stopAgent: async () => {
        await agent.stop();
        const result = await runCli(runtime.ok ? runtime.path : 'node', context.extensionPath, workspaceFolder, ['down']);
        return {
          ok: result.code === 0,
          message: result.code === 0 ? 'Taskwarden agent stopped.' : result.stderr.trim() || 'taskwarden down failed',
        };
      },
    }),
  );

  if (!runtime.ok) {
    agent.fail(runtime.message);
    void vscode.window.showErrorMessage(runtime.message, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'taskwarden.nodePath');
    });
    return;
  }
  try {
    await agent.start();
  } catch (error: unknown) {
    void vscode.window
      .showErrorMessage(`Taskwarden could not start its agent: ${(error as Error).message}`, 'Show Agent Log')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('taskwarden.showAgentLog');
      });
  }
}

export function deactivate(): void {
  // The agent is a detached daemon: closing the window only drops this connection.
}
