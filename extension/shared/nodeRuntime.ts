/**
 * Finds the Node.js that runs the agent: `taskwarden.nodePath`, else `node` on
 * PATH. The agent needs Node >= 20 (better-sqlite3 is built for it), never VS
 * Code's own Electron.
 */
import { execFile } from 'node:child_process';

export const MINIMUM_NODE_MAJOR = 20;

export type NodeRuntime = { ok: true; path: string; version: string } | { ok: false; message: string };

function versionOf(executable: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(executable, ['--version'], { timeout: 10_000 }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

export async function findNodeRuntime(configuredPath: string | undefined): Promise<NodeRuntime> {
  const candidate = configuredPath && configuredPath.trim() !== '' ? configuredPath.trim() : 'node';
  const version = await versionOf(candidate);
  const where = configuredPath ? `taskwarden.nodePath (${candidate})` : "'node' on PATH";
  if (!version) {
    return {
      ok: false,
      message: `Taskwarden needs Node.js ${MINIMUM_NODE_MAJOR} or newer to run its agent, but ${where} could not be run. Install Node.js or set "taskwarden.nodePath".`,
    };
  }
  const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
  if (major < MINIMUM_NODE_MAJOR) {
    return {
      ok: false,
      message: `Taskwarden needs Node.js ${MINIMUM_NODE_MAJOR} or newer to run its agent; ${where} is ${version}. Install a newer Node.js or set "taskwarden.nodePath".`,
    };
  }
  return { ok: true, path: candidate, version };
}
