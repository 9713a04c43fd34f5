/**
 * Keeps the uptimes in the code lenses of taskwarden.yaml moving like the
 * Daemons view's. The agent asks editors to refresh its lenses on every state
 * change, but an uptime moves on between changes, and the lens and the tree
 * row say the same thing (agent/protocol/daemonPresentation.ts). So while an
 * editor shows taskwarden.yaml, once a second, when the text of a running
 * task's lens has changed since it was last asked for, VS Code re-requests
 * the lenses (one small request to the agent; nothing when no daemon runs).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { taskDescription } from '../../agent/protocol';
import type { AgentApi } from '../shared/agentApi';
import type { DaemonsModel } from './daemonsModel';

const TICK_MS = 1000;

function showsConfig(editor: vscode.TextEditor): boolean {
  return editor.document.uri.scheme === 'file' && path.basename(editor.document.uri.fsPath) === 'taskwarden.yaml';
}

/** See the file header. */
export class DaemonLensClock implements vscode.Disposable {
  private ticker: NodeJS.Timeout | undefined;
  /** The lens text of each running task as last asked for. */
  private readonly asked = new Map<string, string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly agent: AgentApi,
    private readonly model: DaemonsModel,
    private readonly now: () => number = Date.now,
  ) {
    this.subscription = vscode.window.onDidChangeVisibleTextEditors((editors) => this.follow(editors.some(showsConfig)));
    this.follow(vscode.window.visibleTextEditors.some(showsConfig));
  }

  private follow(visible: boolean): void {
    if (visible && !this.ticker) this.ticker = setInterval(() => this.tick(), TICK_MS);
    if (!visible && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      this.asked.clear();
    }
  }

  private tick(): void {
    if (this.agent.state.kind !== 'running') return;
    const now = this.now();
    let moved = false;
    for (const task of this.model.tasks) {
      if (!task.instances.some((instance) => instance.startedAt !== null)) continue;
      const text = taskDescription(task, now);
      if (this.asked.get(task.name) === text) continue;
      this.asked.set(task.name, text);
      moved = true;
    }
    if (moved) this.agent.refreshCodeLenses();
  }

  dispose(): void {
    this.follow(false);
    this.subscription.dispose();
  }
}
