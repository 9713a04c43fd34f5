/**
 * "Show Output": opens a task's captured stdout and stderr files (the paths the
 * agent gives in TaskInfo / TaskHistoryEntry) in editors. VS Code reloads an
 * unmodified editor when its file changes on disk, so the editors follow a
 * running task's output. Both streams non-empty: stdout, with stderr beside it.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';

export interface OutputFiles {
  readonly id: number;
  readonly stdoutFile: string | null;
  readonly stderrFile: string | null;
}

async function sizeOf(file: string | null): Promise<number | null> {
  if (file === null) return null;
  return fs.stat(file).then(
    (stat) => stat.size,
    () => null,
  );
}

async function open(file: string, column: vscode.ViewColumn): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: column,
    preview: false,
    preserveFocus: column !== vscode.ViewColumn.Active,
  });
  const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
  editor.revealRange(new vscode.Range(end, end));
}

/** Opens the output of one task; says so when it has none (or it was cleared with the history). */
export async function showTaskOutput(task: OutputFiles): Promise<void> {
  const [stdout, stderr] = await Promise.all([sizeOf(task.stdoutFile), sizeOf(task.stderrFile)]);
  if (stdout === null && stderr === null) {
    void vscode.window.showInformationMessage(`Task ${task.id} has no output files (they go when the history is cleared).`);
    return;
  }
  const showStdout = stdout !== null && (stdout > 0 || !stderr);
  const showStderr = stderr !== null && stderr > 0;
  if (showStdout && task.stdoutFile) await open(task.stdoutFile, vscode.ViewColumn.Active);
  if (showStderr && task.stderrFile) await open(task.stderrFile, showStdout ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
}
