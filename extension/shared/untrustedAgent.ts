/**
 * The AgentApi of an untrusted workspace: never connects, never starts anything,
 * and says why when asked.
 */
import * as vscode from 'vscode';
import type { AgentApi, ConnectionState } from './agentApi';

export class UntrustedAgent implements AgentApi {
  readonly state: ConnectionState = { kind: 'untrusted' };
  readonly health = undefined;
  readonly onDidChangeState = new vscode.EventEmitter<ConnectionState>().event;
  readonly onDidChangeHealth = new vscode.EventEmitter<never>().event;

  constructor(readonly workspaceFolder: string) {}

  request(): Promise<never> {
    return Promise.reject(new Error('Taskwarden runs nothing until you trust this workspace.'));
  }

  onPartChanged(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  onNotification(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  refreshCodeLenses(): void {
    // No agent, no lenses.
  }
}
