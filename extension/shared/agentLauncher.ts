/**
 * Starts (or finds) the workspace's agent by running the bundled CLI's `up`,
 * so the extension and the terminal share one way of starting agents.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export interface LaunchedAgent {
  readonly pid: number;
  readonly socketPath: string;
  readonly agentVersion: string;
}

export type LaunchResult = { ok: true; agent: LaunchedAgent } | { ok: false; message: string };

export function cliScript(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'taskwarden.js');
}

/** Runs `taskwarden <args> -w <workspace>` with the given Node. */
export function runCli(
  nodePath: string,
  extensionPath: string,
  workspace: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      nodePath,
      [cliScript(extensionPath), ...args, '-w', workspace],
      { cwd: workspace, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export async function launchAgent(nodePath: string, extensionPath: string, workspace: string): Promise<LaunchResult> {
  const result = await runCli(nodePath, extensionPath, workspace, ['up', '--json']);
  if (result.code !== 0) return { ok: false, message: result.stderr.trim() || `taskwarden up exited with code ${result.code}` };
  try {
    const agent = JSON.parse(result.stdout) as LaunchedAgent;
    return { ok: true, agent };
  } catch {
    return { ok: false, message: `unexpected output from taskwarden up: ${result.stdout.slice(0, 200)}` };
  }
}
