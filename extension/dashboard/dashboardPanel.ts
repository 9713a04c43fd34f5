/**
 * "Taskwarden: Open Dashboard": one webview panel with the plots of the
 * agent's stats. On open (and on each reconnect) it subscribes to the `stats`
 * topic, reads the snapshot and posts it to the page; then it forwards every
 * batch the agent pushes. The page only draws.
 */
import * as vscode from 'vscode';
import { SubscribeRequest, UnsubscribeRequest } from '../../agent/protocol/agent';
import { ReadStatsRequest, StatsPointsNotification } from '../../agent/protocol/stats';
import type { AgentApi } from '../shared/agentApi';
import { dashboardHtml } from './dashboardHtml';
import type { DashboardMessage } from './dashboardMessages';

export function registerDashboard(api: AgentApi, context: vscode.ExtensionContext): vscode.Disposable {
  let open: DashboardPanel | null = null;
  return vscode.commands.registerCommand('taskwarden.openDashboard', () => {
    if (open) open.reveal();
    else {
      open = new DashboardPanel(api, vscode.Uri.joinPath(context.extensionUri, 'dist', 'dashboard'));
      open.onDidDispose(() => (open = null));
    }
  });
}

class DashboardPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  /** Batches that came while the snapshot was being read: posted after it (the page drops repeats). */
  private held: DashboardMessage[] | null = null;

  constructor(
    private readonly api: AgentApi,
    assets: vscode.Uri,
  ) {
    this.panel = vscode.window.createWebviewPanel('taskwarden.dashboard', 'Taskwarden Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [assets],
    });
    this.panel.webview.html = dashboardHtml(this.panel.webview, assets);
    this.disposables.push(
      api.onNotification(StatsPointsNotification.type, (batch) => this.post({ kind: 'points', batch })),
      api.onDidChangeState((state) => {
        if (state.kind === 'running') void this.load();
        else if (state.kind !== 'connecting') this.post({ kind: 'disconnected', message: `agent ${state.kind}` });
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    if (api.state.kind === 'running') void this.load();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Subscribes, then reads the snapshot; batches pushed meanwhile follow it. */
  private async load(): Promise<void> {
    this.held = [];
    try {
      await this.api.request(SubscribeRequest.type, { topics: ['stats'] });
      const batch = await this.api.request(ReadStatsRequest.type, {});
      const held = this.held;
      this.held = null;
      this.post({ kind: 'snapshot', batch });
      for (const message of held) this.post(message);
    } catch (error: unknown) {
      this.held = null;
      this.post({ kind: 'disconnected', message: (error as Error).message });
    }
  }

  private post(message: DashboardMessage): void {
    if (this.held && message.kind === 'points') this.held.push(message);
    else void this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    // The agent keeps and sends batches only while someone listens.
    if (this.api.state.kind === 'running') this.api.request(UnsubscribeRequest.type, { topics: ['stats'] }).catch(() => undefined);
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
