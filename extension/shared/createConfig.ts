/**
 * "Create taskwarden.yaml from a Template" (the walkthrough's first step):
 * writes the commented template (configTemplate.ts) at the root of the
 * workspace folder and opens it. An existing taskwarden.yaml is never
 * overwritten: the command says so and opens that file instead.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_TEMPLATE } from './configTemplate';

/** The command's id (package.json `commands`, the walkthrough's link). */
export const CREATE_CONFIG_COMMAND = 'taskwarden.createConfig';

/** Where the file goes: the folder the extension follows, or, in a window without one, nowhere. */
export type FolderOf = () => string | undefined;

async function createIn(folder: string): Promise<void> {
  const file = path.join(folder, 'taskwarden.yaml');
  try {
    // 'wx': fails when the file exists, so a file written meanwhile is not overwritten either.
    await fs.writeFile(file, CONFIG_TEMPLATE, { flag: 'wx' });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      void vscode.window.showErrorMessage(`Taskwarden could not write ${file}: ${(error as Error).message}`);
      return;
    }
    void vscode.window.showWarningMessage(`${file} already exists: it was left as it is.`);
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
}

/** Registers taskwarden.createConfig. */
export function registerCreateConfigCommand(folderOf: FolderOf): vscode.Disposable {
  return vscode.commands.registerCommand(CREATE_CONFIG_COMMAND, async () => {
    const folder = folderOf();
    if (folder === undefined) {
      void vscode.window.showErrorMessage('Open a folder first: taskwarden.yaml goes at the root of the workspace folder.');
      return;
    }
    await createIn(folder);
  });
}
