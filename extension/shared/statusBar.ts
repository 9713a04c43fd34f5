/**
 * The status-bar item: agent health at a glance (up / failed counts), a click
 * opens the Taskwarden views.
 */
import * as vscode from 'vscode';
import type { AgentApi } from './agentApi';

/** "tasks" → "task" for a count of one; other keys ("up", "failed") read the same either way. */
function singular(key: string): string {
  return key.endsWith('s') ? key.slice(0, -1) : key;
}

export function createStatusBar(agent: AgentApi): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('taskwarden.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Taskwarden';
  item.command = 'workbench.view.extension.taskwarden';

  const render = (): void => {
    const state = agent.state;
    item.backgroundColor = undefined;
    switch (state.kind) {
      case 'untrusted':
        item.text = '$(shield) Taskwarden';
        item.tooltip = 'Taskwarden starts nothing in an untrusted workspace.';
        break;
      case 'connecting':
        item.text = '$(sync~spin) Taskwarden';
        item.tooltip = 'Connecting to the Taskwarden agent…';
        break;
      case 'stopped':
        item.text = '$(circle-slash) Taskwarden';
        item.tooltip = 'The Taskwarden agent is stopped. Run "Taskwarden: Restart Agent" to start it.';
        break;
      case 'failed':
        item.text = '$(error) Taskwarden';
        item.tooltip = `The Taskwarden agent is not running: ${state.message}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'running': {
        const health = agent.health;
        const summary = health ? Object.entries(health.summary).filter(([, count]) => count > 0) : [];
        const counts = summary.map(([key, count]) => `${count} ${count === 1 ? singular(key) : key}`).join(', ');
        const icon = health?.level === 'error' ? '$(error)' : health?.level === 'warning' ? '$(warning)' : '$(pulse)';
        item.text = `${icon} Taskwarden${counts ? `: ${counts}` : ''}`;
        item.tooltip = `Agent pid ${state.pid} (version ${state.agentVersion}) — ${health?.message ?? 'connected'}`;
        if (health?.level === 'error') item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        else if (health?.level === 'warning') item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      }
    }
    item.show();
  };

  render();
  const subscriptions = [agent.onDidChangeState(render), agent.onDidChangeHealth(render)];
  return vscode.Disposable.from(item, ...subscriptions);
}
