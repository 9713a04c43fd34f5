/**
 * Whether a view has had its first answer from the agent, as a context key
 * (`taskwarden.daemonsListed`, `taskwarden.tasksListed`) for the views'
 * welcome texts in package.json: between the connection coming up and the
 * first list arriving, a view still says "Connecting to the Taskwarden
 * agent…" instead of "No daemons run here".
 */
import * as vscode from 'vscode';

/** A setter of the context key `key` that calls VS Code only when the value changes. */
export function listedContext(key: string): (listed: boolean) => void {
  let current: boolean | undefined;
  return (listed) => {
    if (listed === current) return;
    current = listed;
    void vscode.commands.executeCommand('setContext', key, listed);
  };
}
