/**
 * The AgentApi the views, commands and status bar hold for the window's life:
 * it passes everything on to the agent of the moment (the untrusted stand-in,
 * then the real client once the folder is trusted). Views are created once:
 * VS Code keeps showing the first tree of a view id whose tree view was
 * disposed and created again, so re-creating them on trust left a view empty.
 */
import * as vscode from 'vscode';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { HealthParams, PartName } from '../../agent/protocol';
import type { AgentApi, ConnectionState } from './agentApi';

/** One listener of the callers, subscribed again to each agent switched to. */
interface Forward {
  readonly subscribe: (agent: AgentApi) => vscode.Disposable;
  current: vscode.Disposable;
}

export class SwitchableAgent implements AgentApi, vscode.Disposable {
  private readonly stateEmitter = new vscode.EventEmitter<ConnectionState>();
  private readonly healthEmitter = new vscode.EventEmitter<HealthParams>();
  private readonly forwards = new Set<Forward>();
  private ownEvents: vscode.Disposable;

  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeHealth = this.healthEmitter.event;

  constructor(private target: AgentApi) {
    this.ownEvents = this.listenTo(target);
  }

  get workspaceFolder(): string {
    return this.target.workspaceFolder;
  }

  get state(): ConnectionState {
    return this.target.state;
  }

  get health(): HealthParams | undefined {
    return this.target.health;
  }

  /** Hands every request and listener to `next` from now on, and tells the listeners its state. */
  switchTo(next: AgentApi): void {
    this.ownEvents.dispose();
    this.target = next;
    this.ownEvents = this.listenTo(next);
    for (const forward of this.forwards) {
      forward.current.dispose();
      forward.current = forward.subscribe(next);
    }
    this.stateEmitter.fire(next.state);
    if (next.health) this.healthEmitter.fire(next.health);
  }

  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  request<R>(type: RequestType0<R, void>): Promise<R>;
  request<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, params?: P): Promise<R> {
    return this.target.request(type as RequestType<P, R, void>, params as P);
  }

  onPartChanged(topic: PartName, listener: (delta: unknown) => void): vscode.Disposable {
    return this.forward((agent) => agent.onPartChanged(topic, listener));
  }

  onNotification<P>(type: NotificationType<P>, listener: (params: P) => void): vscode.Disposable {
    return this.forward((agent) => agent.onNotification(type, listener));
  }

  refreshCodeLenses(): void {
    this.target.refreshCodeLenses();
  }

  dispose(): void {
    this.ownEvents.dispose();
    for (const forward of this.forwards) forward.current.dispose();
    this.forwards.clear();
    this.stateEmitter.dispose();
    this.healthEmitter.dispose();
  }

  private listenTo(agent: AgentApi): vscode.Disposable {
    return vscode.Disposable.from(
      agent.onDidChangeState((state) => this.stateEmitter.fire(state)),
      agent.onDidChangeHealth((health) => this.healthEmitter.fire(health)),
    );
  }

  private forward(subscribe: (agent: AgentApi) => vscode.Disposable): vscode.Disposable {
    const forward: Forward = { subscribe, current: subscribe(this.target) };
    this.forwards.add(forward);
    return new vscode.Disposable(() => {
      forward.current.dispose();
      this.forwards.delete(forward);
    });
  }
}
