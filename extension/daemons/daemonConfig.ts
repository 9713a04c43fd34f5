/**
 * "Go to Config": opens taskwarden.yaml at the key of a daemon's task, at the
 * line the agent reported, else where a scan of the file finds it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import type { DaemonsSync } from './daemonsSync';
import { findTaskKey, keyOnLine } from './daemonConfigLine';
import { pickTargets } from './daemonPick';

/** `web:1` → `web`; a task name stays as it is. */
function taskOf(sync: DaemonsSync, target: string): string {
  return sync.model.instance(target)?.task ?? target;
}

async function goToConfig(agent: AgentApi, sync: DaemonsSync, target: string): Promise<void> {
  const name = taskOf(sync, target);
  const task = sync.model.task(name);
  const file = task?.configFile ?? path.join(agent.workspaceFolder, 'taskwarden.yaml');
  const reported = task?.configLine ?? sync.model.skippedTask(name)?.configLine ?? null;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const text = document.getText();
  // The agent's line is of the file it last loaded; an edited buffer may have moved the key.
  const key = (reported !== null ? keyOnLine(text, reported, name) : null) ?? findTaskKey(text, name);
  if (!key) {
    await vscode.window.showTextDocument(document);
    void vscode.window.showWarningMessage(`No task named '${name}' under tasks: in ${path.basename(file)}.`);
    return;
  }
  const range = new vscode.Range(key.line - 1, key.start, key.line - 1, key.end);
  await vscode.window.showTextDocument(document, { selection: range });
}

/** Registers taskwarden.goToDaemonConfig. */
export function registerDaemonConfigCommand(agent: AgentApi, sync: DaemonsSync): vscode.Disposable {
  return vscode.commands.registerCommand('taskwarden.goToDaemonConfig', async (...args: unknown[]) => {
    const targets = await pickTargets(agent, sync, 'config', 'Go to the config of which daemon?', args);
    const target = targets?.[0];
    if (target === undefined) return;
    try {
      await goToConfig(agent, sync, target);
    } catch (error: unknown) {
      void vscode.window.showErrorMessage(
        `Taskwarden could not open the config: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
}
