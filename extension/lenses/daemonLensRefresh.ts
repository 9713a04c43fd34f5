/**
 * Keeps the agent's code lenses in taskwarden.yaml current. The lenses (live
 * state, Start/Stop/Restart) come from the agent over LSP, and VS Code asks
 * for them again only when the text changes or a provider for the file says
 * its lenses changed; the agent does not send `workspace/codeLens/refresh`.
 * So this provider, which adds no lenses of its own, says so whenever the
 * daemons change, and VS Code re-asks every provider of the file, the agent too.
 */
import * as vscode from 'vscode';
import type { DaemonsSync } from '../views/daemonsSync';

/** Several changes in a burst (a restart is stop, start, ready) cause one refresh. */
const SETTLE_MS = 200;

/** Registers the refreshing provider; it lives as long as the returned disposable. */
export function refreshDaemonLenses(sync: DaemonsSync): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let timer: NodeJS.Timeout | undefined;
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses: () => [],
  };
  const registration = vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/taskwarden.yaml' }, provider);
  const listener = sync.onDidChange(() => {
    clearTimeout(timer);
    timer = setTimeout(() => changed.fire(), SETTLE_MS);
  });
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    listener.dispose();
    registration.dispose();
    changed.dispose();
  });
}
