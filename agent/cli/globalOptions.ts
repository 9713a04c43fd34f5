/**
 * Options every command understands, and the connection step shared by the
 * commands that need an agent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { connectToAgent, currentCliScript, ensureAgent, type AgentConnection } from './agentClient';
import { ExitCode, fail } from './output';

export interface GlobalOptions {
  readonly workspace: string;
  readonly config?: string;
  readonly roles?: string;
  readonly json?: boolean;
  readonly start: boolean;
}

/** The merged global + command options of a command's action. */
export function globalOptions(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{ workspace?: string; config?: string; roles?: string; json?: boolean; start?: boolean }>();
  return {
    workspace: path.resolve(options.workspace ?? process.cwd()),
    config: options.config,
    roles: options.roles,
    json: options.json,
    start: options.start !== false,
  };
}

export type Connected = { ok: true; agent: AgentConnection } | { ok: false; exitCode: number };

/** Connects to the workspace's agent, starting it unless --no-start. Prints why it could not. */
export async function connect(options: GlobalOptions): Promise<Connected> {
  if (!fs.existsSync(options.workspace) || !fs.statSync(options.workspace).isDirectory()) {
    return { ok: false, exitCode: fail(`workspace folder not found: ${options.workspace}`, ExitCode.Usage) };
  }
  const workspace = fs.realpathSync(options.workspace);
  if (!options.start) {
    const attempt = await connectToAgent(workspace);
    if (attempt.ok) return attempt;
    return {
      ok: false,
      exitCode: fail(
        attempt.reason === 'not-running' ? `${attempt.message} (and --no-start was given)` : attempt.message,
        attempt.reason === 'not-running' ? ExitCode.NotRunning : ExitCode.Failure,
      ),
    };
  }
  const ensured = await ensureAgent({ workspace, configFile: options.config, rolesFile: options.roles, cliScript: currentCliScript() });
  if (!ensured.ok) return { ok: false, exitCode: fail(ensured.message) };
  return { ok: true, agent: ensured.agent };
}

/** Runs `work` with a connected agent and closes the connection after. */
export async function withAgent(options: GlobalOptions, work: (agent: AgentConnection) => Promise<number>): Promise<number> {
  const connected = await connect(options);
  if (!connected.ok) return connected.exitCode;
  try {
    return await work(connected.agent);
  } catch (error: unknown) {
    return fail((error as Error).message);
  } finally {
    connected.agent.close();
  }
}
