/**
 * "Show Daemon Output" (tree row, code lens or palette) in an output channel
 * or a terminal, and "Close Daemon Output" (stop following and remove it).
 */
import * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import type { OutputPlace } from '../shared/outputSinks';
import type { DaemonOutputs } from './daemonOutput';
import type { DaemonsSync } from './daemonsSync';
import { pickTargets } from './daemonPick';

/** Registers taskwarden.showDaemonOutput, taskwarden.showDaemonOutputInTerminal and taskwarden.closeDaemonOutput. */
export function registerDaemonOutputCommands(agent: AgentApi, sync: DaemonsSync, outputs: DaemonOutputs): vscode.Disposable[] {
  const show =
    (place: OutputPlace) =>
    async (...args: unknown[]) => {
      const targets = await pickTargets(agent, sync, 'output', 'Show the output of which daemon?', args);
      for (const target of targets ?? []) {
        try {
          await outputs.show(target, place);
        } catch (error: unknown) {
          void vscode.window.showErrorMessage(
            `Taskwarden could not show the output of ${target}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    };
  return [
    vscode.commands.registerCommand('taskwarden.showDaemonOutput', show('channel')),
    vscode.commands.registerCommand('taskwarden.showDaemonOutputInTerminal', show('terminal')),
    vscode.commands.registerCommand('taskwarden.closeDaemonOutput', async () => {
      const open = outputs.targets;
      if (open.length === 0) {
        void vscode.window.showInformationMessage('No daemon output channel is open.');
        return;
      }
      const picked = await vscode.window.showQuickPick(open, { placeHolder: 'Stop following and close the output of which daemon?' });
      if (picked) await outputs.close(picked);
    }),
  ];
}
