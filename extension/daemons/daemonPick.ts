/**
 * The arguments of a daemon command: taken from the tree row or code lens it
 * was invoked from, else asked with a quick pick ("Taskwarden: Restart Daemon"
 * asks which daemon).
 */
import * as vscode from 'vscode';
import type { AgentApi } from '../shared/agentApi';
import type { DaemonsSync } from './daemonsSync';
import { targetChoices, targetsOfArguments, type TargetPurpose } from './daemonTargets';

/** What the pick says when nothing fits, per purpose. */
const NOTHING_TO: Record<TargetPurpose, string> = {
  start: 'No daemon to start: every daemon is running.',
  stop: 'No daemon to stop: none is running.',
  restart: 'No daemon to restart: none is running.',
  reset: 'No daemon to reset: none is in a crash loop or backing off.',
  output: 'No daemons are configured here.',
  config: 'No daemons are configured here.',
};

/**
 * The daemon NAMEs to act on, or undefined when the user cancelled (or there
 * was nothing to choose; then a message says why).
 */
export async function pickTargets(
  agent: AgentApi,
  sync: DaemonsSync,
  purpose: TargetPurpose,
  placeHolder: string,
  args: readonly unknown[],
): Promise<string[] | undefined> {
  const given = targetsOfArguments(args[0], args[1]);
  if (given) return given;
  if (agent.state.kind !== 'running') {
    // Nothing to choose from: the daemons are known only while connected.
    void vscode.window.showWarningMessage(notRunning(agent));
    return undefined;
  }
  const choices = targetChoices(sync.model, purpose, Date.now());
  if (choices.length === 0) {
    void vscode.window.showInformationMessage(NOTHING_TO[purpose]);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    choices.map((choice) => ({ ...choice })),
    { placeHolder, matchOnDescription: true },
  );
  return picked ? [picked.target] : undefined;
}

function notRunning(agent: AgentApi): string {
  switch (agent.state.kind) {
    case 'untrusted':
      return 'Taskwarden runs nothing until you trust this workspace.';
    case 'connecting':
      return 'Taskwarden is still connecting to its agent.';
    case 'failed':
      return `The Taskwarden agent is not running: ${agent.state.message}`;
    case 'stopped':
    case 'running':
      return 'The Taskwarden agent is not running. Run "Taskwarden: Restart Agent".';
  }
}
