/**
 * A temporary workspace for one test, the built CLI to drive it, and cleanup
 * that stops its agent and every process it supervised.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectToAgent, type AgentConnection } from '../../../agent/cli/agentClient';
import { processIsAlive } from '../../../agent/proc/processIdentity';
import { TEST_MARK } from './leakCheck';
import { waitFor } from './waitFor';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO_ROOT, 'dist', 'taskwarden.js');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'programs');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TestWorkspace {
  readonly dir: string;
  /** Runs `taskwarden <args> -w dir` to completion. */
  cli(args: readonly string[], options?: { env?: Record<string, string>; input?: string }): Promise<CliResult>;
  /** A handshaken JSON-RPC connection to the running agent (closed by cleanup). */
  connect(client?: string): Promise<AgentConnection>;
  writeConfig(yaml: string): void;
  /** The running agent's pid, or null. */
  agentPid(): Promise<number | null>;
  /** Stops the agent (and its processes) and removes the folder. */
  cleanup(): Promise<void>;
}

export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * Runs a bash script in which `$TASKWARDEN` is the built CLI (`node dist/taskwarden.js`), for
 * what only a shell sets up: a umask, a descriptor left open (`exec 200>file`).
 */
export function runShell(script: string, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, TASKWARDEN: `${process.execPath} ${CLI}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export function createWorkspace(config = 'tasks: {}\n'): TestWorkspace {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), TEST_MARK)));
  fs.writeFileSync(path.join(dir, 'taskwarden.yaml'), config);
  const connections: AgentConnection[] = [];
  const workspace: TestWorkspace = {
    dir,
    cli: (args, options) => runCli([...args, '-w', dir], { cwd: dir, ...options }),
    async connect(client = 'test') {
      const result = await connectToAgent(dir, client);
      if (!result.ok) throw new Error(result.error.message);
      connections.push(result.value);
      return result.value;
    },
    writeConfig: (yaml) => fs.writeFileSync(path.join(dir, 'taskwarden.yaml'), yaml),
    async agentPid() {
      const result = await connectToAgent(dir, 'test');
      if (!result.ok) return null;
      result.value.close();
      return result.value.handshake.pid;
    },
    async cleanup() {
      for (const connection of connections) connection.close();
      const pid = await workspace.agentPid();
      // Also without an agent: down stops what a killed one left.
      await runCli(['down', '-w', dir]);
      if (pid !== null) await waitFor(() => !processIsAlive(pid), { what: `agent ${pid} to exit`, timeoutMs: 20_000 });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return workspace;
}
