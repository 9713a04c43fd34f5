/**
 * Options every command understands, and the connection step shared by the
 * commands that need an agent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { HandshakeResult } from '../protocol/agent';
import { connectToAgent, currentCliScript, ensureAgent, type AgentConnection } from './agentClient';
import { ok, type Result } from '../result';
import { ExitCode, fail, reported, type Reported } from './output';

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

/** The files given with -f and -r, absolute: a relative one is relative to the workspace, as the agent reads it. */
export function requestedFiles(options: GlobalOptions, workspace: string): { configFile?: string; rolesFile?: string } {
  return {
    ...(options.config !== undefined ? { configFile: path.resolve(workspace, options.config) } : {}),
    ...(options.roles !== undefined ? { rolesFile: path.resolve(workspace, options.roles) } : {}),
  };
}

/** The command that switches the running agent to these files. */
function switchCommand(files: { configFile?: string; rolesFile?: string }, workspace: string): string {
  const words = ['taskwarden'];
  if (path.resolve(process.cwd()) !== workspace) words.push('-w', workspace);
  if (files.configFile !== undefined) words.push('-f', files.configFile);
  if (files.rolesFile !== undefined) words.push('-r', files.rolesFile);
  return [...words, 'reload'].join(' ');
}

/**
 * Why this command must not run against the agent: it was given (-f, -r)
 * other files than the agent follows. Null when they agree or none were given.
 */
export function filesMismatch(options: GlobalOptions, handshake: HandshakeResult): string | null {
  const requested = requestedFiles(options, handshake.workspace);
  const problems: string[] = [];
  if (requested.configFile !== undefined && requested.configFile !== handshake.configFile)
    problems.push(`the running agent uses the config file ${handshake.configFile}, not ${requested.configFile} (-f)`);
  if (requested.rolesFile !== undefined && requested.rolesFile !== handshake.rolesFile)
    problems.push(
      `the running agent uses ${handshake.rolesFile === null ? 'no roles file' : `the roles file ${handshake.rolesFile}`}, not ${requested.rolesFile} (-r)`,
    );
  if (problems.length === 0) return null;
  return `${problems.join('; ')}; nothing was done. To switch the agent to it, run: ${switchCommand(requested, handshake.workspace)}`;
}

/** A connected agent (and whether this call started it), or why not, already told to the user. */
export type Connected = Result<{ readonly agent: AgentConnection; readonly started: boolean }, Reported>;

export interface ConnectOptions {
  /** The command switches a running agent to -f / -r itself (up, reload) instead of refusing other files. */
  readonly switchesFiles?: boolean;
}

/** Connects to the workspace's agent, starting it unless --no-start. Prints why it could not. */
export async function connect(options: GlobalOptions, connectOptions: ConnectOptions = {}): Promise<Connected> {
  if (!fs.existsSync(options.workspace) || !fs.statSync(options.workspace).isDirectory()) {
    return reported(`workspace folder not found: ${options.workspace}`, ExitCode.Usage);
  }
  const workspace = fs.realpathSync(options.workspace);
  let connected: { readonly agent: AgentConnection; readonly started: boolean };
  if (!options.start) {
    const attempt = await connectToAgent(workspace);
    if (!attempt.ok)
      return attempt.error.reason === 'not-running'
        ? reported(`${attempt.error.message} (and --no-start was given)`, ExitCode.NotRunning)
        : reported(attempt.error.message);
    connected = { agent: attempt.value, started: false };
  } else {
    const ensured = await ensureAgent({ workspace, configFile: options.config, rolesFile: options.roles, cliScript: currentCliScript() });
    if (!ensured.ok) return reported(ensured.error.message);
    connected = ensured.value;
  }
  // A command never runs silently against another config than the one it was given.
  const mismatch = connectOptions.switchesFiles ? null : filesMismatch(options, connected.agent.handshake);
  if (mismatch !== null) {
    connected.agent.close();
    return reported(mismatch);
  }
  return ok(connected);
}

/** Runs `work` with a connected agent and closes the connection after. */
export async function withAgent(
  options: GlobalOptions,
  work: (agent: AgentConnection, started: boolean) => Promise<number>,
  connectOptions: ConnectOptions = {},
): Promise<number> {
  const connected = await connect(options, connectOptions);
  if (!connected.ok) return connected.error.exitCode;
  const { agent, started } = connected.value;
  try {
    return await work(agent, started);
  } catch (error: unknown) {
    return fail((error as Error).message);
  } finally {
    agent.close();
  }
}
