/**
 * How a command says it failed: an error message "Taskwarden could not WHAT:
 * REASON" instead of a rejected command that VS Code would only log.
 */
import * as vscode from 'vscode';

/** Runs a command's body; a failure becomes an error message naming what could not be done. */
export async function reporting(what: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error: unknown) {
    void vscode.window.showErrorMessage(`Taskwarden could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
