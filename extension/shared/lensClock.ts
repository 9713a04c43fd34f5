/**
 * Keeps moving text in the code lenses of taskwarden.yaml moving like the
 * views' (a daemon's uptime, a job's countdown). The agent asks editors to
 * refresh its lenses on every state change, but an uptime or a countdown
 * moves on between changes, and the lens and the tree row say the same thing
 * (the shared wording in agent/protocol/). So while an editor shows
 * taskwarden.yaml, once a second, when the text a part gives for one of its
 * moving lenses has changed since it was last asked for, VS Code re-requests
 * the lenses (one small request to the agent; nothing when nothing moves).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentApi } from './agentApi';

const TICK_MS = 1000;

/** A part's moving lens texts at `now` (its own clock), by a key of its choosing (a daemon, a job). */
export type MovingLensTexts = (now: number) => Iterable<readonly [string, string]>;

function showsConfig(editor: vscode.TextEditor): boolean {
  return editor.document.uri.scheme === 'file' && path.basename(editor.document.uri.fsPath) === 'taskwarden.yaml';
}

/** See the file header. */
export class LensClock implements vscode.Disposable {
  private ticker: NodeJS.Timeout | undefined;
  /** The text of each moving lens as last asked for. */
  private readonly asked = new Map<string, string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly agent: AgentApi,
    private readonly texts: MovingLensTexts,
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
    let moved = false;
    for (const [key, text] of this.texts(this.now())) {
      if (this.asked.get(key) === text) continue;
      this.asked.set(key, text);
      moved = true;
    }
    if (moved) this.agent.refreshCodeLenses();
  }

  dispose(): void {
    this.follow(false);
    this.subscription.dispose();
  }
}
