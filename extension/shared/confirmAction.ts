/**
 * The one question before a destructive action (Stop, Kill, Remove, Clear): a
 * modal warning whose button is the action itself, so Enter or a click on it
 * acts and Escape or Cancel leaves everything as it was. The setting
 * `taskwarden.confirmDestructiveActions` (default true) turns the question off.
 */
import * as vscode from 'vscode';

/** The setting that turns the question off, under `taskwarden.`. */
export const CONFIRM_SETTING = 'confirmDestructiveActions';

/**
 * Asks `question` with `action` ("Stop", "Kill") as the button; resolves true
 * when the user chose it, or at once when the setting is off.
 */
export async function confirmAction(action: string, question: string, detail?: string): Promise<boolean> {
  if (!vscode.workspace.getConfiguration('taskwarden').get<boolean>(CONFIRM_SETTING, true)) return true;
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail }, action);
  return choice === action;
}
