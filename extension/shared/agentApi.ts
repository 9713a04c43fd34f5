/**
 * What views and commands know of the agent: requests, pushed state, health and
 * the connection state. They never touch the connection itself, so they can be
 * tested against a fake.
 */
import type * as vscode from 'vscode';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { HealthParams, PartName } from '../../agent/protocol';

export type ConnectionState =
  | { readonly kind: 'untrusted' }
  /** Finding or starting the agent and connecting to it (also before the first attempt). */
  | { readonly kind: 'connecting' }
  | { readonly kind: 'running'; readonly pid: number; readonly agentVersion: string }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'failed'; readonly message: string };

export interface AgentApi {
  /** The workspace folder the agent serves. */
  readonly workspaceFolder: string;
  readonly state: ConnectionState;
  readonly onDidChangeState: vscode.Event<ConnectionState>;
  readonly health: HealthParams | undefined;
  readonly onDidChangeHealth: vscode.Event<HealthParams>;
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  request<R>(type: RequestType0<R, void>): Promise<R>;
  /** Deltas the agent pushes for one part (subscribed on connect). */
  onPartChanged(topic: PartName, listener: (delta: unknown) => void): vscode.Disposable;
  /** Any other agent → client notification (e.g. streamed log lines). */
  onNotification<P>(type: NotificationType<P>, listener: (params: P) => void): vscode.Disposable;
  /** Makes VS Code ask the agent for the code lenses of open config files again (their uptimes move between state changes). */
  refreshCodeLenses(): void;
}
