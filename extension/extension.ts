/**
 * Extension entry point: finds the workspace, respects Workspace Trust (nothing
 * starts before the user trusts the folder), starts or reconnects to the agent,
 * and wires views, commands and the status bar to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionState } from './shared/agentApi';
import { AgentClient } from './shared/agentClient';
import { runCli } from './shared/agentLauncher';
import { registerAgentCommands } from './shared/agentCommands';
import { registerCreateConfigCommand } from './shared/createConfig';
import { findNodeRuntime } from './shared/nodeRuntime';
import { createStatusBar } from './shared/statusBar';
import { EXTENSION_PARTS } from './parts';
import { registerPlaceholderViews, registerViews } from './shared/registerViews';
import { SwitchableAgent } from './shared/switchableAgent';
import { UntrustedAgent } from './shared/untrustedAgent';
import { registerDashboard } from './dashboard/dashboardPanel';

/** The folder whose agent this window talks to: the first with a taskwarden.yaml, else the first. */
function pickWorkspaceFolder(): string | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const withConfig = folders.find((folder) => fs.existsSync(path.join(folder.uri.fsPath, 'taskwarden.yaml')));
  return (withConfig ?? folders[0])?.uri.fsPath;
}

function setContext(state: ConnectionState): void {
  void vscode.commands.executeCommand('setContext', 'taskwarden.agentState', state.kind);
}

/**
 * Registers every view, the status item and the commands before anything is
 * awaited: a view without its tree data provider shows VS Code's raw "There is
 * no data provider registered…" until one comes, and an await on the agent
 * can take seconds after a window reload. Until the agent answers, the views
 * say "Connecting to the Taskwarden agent…" (package.json `viewsWelcome`).
 */
export function activate(context: vscode.ExtensionContext): void {
  const workspaceFolder = pickWorkspaceFolder();
  // Writing a file starts nothing: offered in every window, trusted or not (the walkthrough's first step).
  context.subscriptions.push(registerCreateConfigCommand(() => workspaceFolder));
  if (!workspaceFolder) {
    // An empty window: the views' welcome text asks for a folder.
    context.subscriptions.push(...registerPlaceholderViews(EXTENSION_PARTS));
    return;
  }
  const output = vscode.window.createOutputChannel('Taskwarden', { log: true });
  context.subscriptions.push(output);

  // Views, status item and the parts' commands are created once, on the untrusted stand-in,
  // and switch to the real client when the folder is trusted (see SwitchableAgent).
  const agent = new SwitchableAgent(new UntrustedAgent(workspaceFolder));
  context.subscriptions.push(agent, agent.onDidChangeState(setContext));
  setContext(agent.state);
  context.subscriptions.push(createStatusBar(agent), ...registerViews(EXTENSION_PARTS, agent, context));

  if (vscode.workspace.isTrusted) {
    startTrusted(context, agent, output);
    return;
  }
  output.info('Workspace is not trusted: the Taskwarden agent is not started.');
  // Trusting the folder starts everything in place, without a window reload.
  const trustGranted = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    trustGranted.dispose();
    startTrusted(context, agent, output);
  });
  context.subscriptions.push(trustGranted);
}

/** Switches the views, commands and status bar to a new agent client at once, then connects it (see `activate`). */
function startTrusted(context: vscode.ExtensionContext, agent: SwitchableAgent, output: vscode.LogOutputChannel): void {
  const workspaceFolder = agent.workspaceFolder;
  let nodePath = 'node';
  const client = new AgentClient({
    workspaceFolder,
    extensionPath: context.extensionPath,
    nodePath: () => nodePath,
    outputChannel: output,
    parts: EXTENSION_PARTS.map((part) => part.name),
  });
  context.subscriptions.push(client, registerDashboard(agent, context));
  agent.switchTo(client);

  /** Finds the Node.js to run the agent with (the setting may have changed since), then connects. */
  const connect = async (): Promise<void> => {
    const runtime = await findNodeRuntime(vscode.workspace.getConfiguration('taskwarden').get<string>('nodePath'));
    if (!runtime.ok) {
      client.fail(runtime.message);
      void vscode.window.showErrorMessage(runtime.message, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'taskwarden.nodePath');
      });
      return;
    }
    nodePath = runtime.path;
    try {
      await client.start();
    } catch (error: unknown) {
      void vscode.window
        .showErrorMessage(`Taskwarden could not start its agent: ${(error as Error).message}`, 'Show Agent Log')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('taskwarden.showAgentLog');
        });
    }
  };

  context.subscriptions.push(
    ...registerAgentCommands({
      api: agent,
      restartAgent: connect,
      stopAgent: async () => {
        await client.stop();
        const result = await runCli(nodePath, context.extensionPath, workspaceFolder, ['down']);
        return {
          ok: result.code === 0,
          message: result.code === 0 ? 'Taskwarden agent stopped.' : result.stderr.trim() || 'taskwarden down failed',
        };
      },
    }),
  );
  void connect();
}

export function deactivate(): void {
  // The agent is a detached daemon: closing the window only drops this connection.
}
