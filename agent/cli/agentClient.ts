/**
 * A plain JSON-RPC client of the agent over its socket (the CLI, tests and the
 * benchmark use it; VS Code uses its language client). `ensureAgent` starts a
 * detached agent when none answers and waits until one does.
 */
import { failed, ok, type Failure, type Result } from '../result';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import { StreamMessageReader } from 'vscode-jsonrpc/node';
import { HandshakeRequest, type HandshakeResult } from '../protocol/agent';
import { keepingPreEncodedResults } from '../protocol/preEncoded';
import { socketPathFor } from '../protocol/socketPath';
import { PROTOCOL_VERSION } from '../protocol/version';
import { PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from '../proc/umask';
import { statePaths } from '../store/stateDirectory';
import agentNodeFlags from './agentNodeFlags.json';
import { OneWriteMessageWriter } from './oneWriteMessages';

/** Exit code of `taskwarden agent` when another agent holds the workspace lock. */
export const EXIT_AGENT_ALREADY_RUNNING = 75;

/**
 * V8 flags of the detached agent, a long-lived and mostly idle process whose
 * work is spawning and waiting, so memory matters more than JIT speed. Measured
 * on a 2-core x64 machine, Node 20, 50 `sleep` daemons, VmRSS 25 s after start:
 * no flags 79 MB; `--max-semi-space-size=1` 72-74 MB; `--single-threaded` alone
 * 77 MB; both 62 MB (no V8 worker threads, so no per-thread malloc arenas);
 * all three 57 MB (no TurboFan: 4 MB fewer pages of the node binary touched,
 * 1.5 MB less anonymous memory). Cost: launching 300 tasks of /bin/true through
 * the protocol takes the same CPU (~0.4-0.5 s, spawning dominates), but
 * JavaScript-heavy work is about 2x slower: 200 reloads of the 50-daemon config
 * plus a daemon list each take 7.2 s of agent CPU instead of 3.6 s without
 * flags (4.4 s with the first two flags only).
 * `--expose-gc` lets the agent give memory back once a burst of work is over
 * (agent/server/idleCompaction.ts). The list is a JSON file so that `npm start`
 * (scripts/start-demo.mjs) runs its foreground agent with the same flags.
 */
export const AGENT_NODE_FLAGS: readonly string[] = agentNodeFlags;

export interface AgentConnection {
  readonly connection: MessageConnection;
  readonly handshake: HandshakeResult;
  readonly socketPath: string;
  close(): void;
}

export type ConnectResult = Result<AgentConnection, Failure<'not-running' | 'handshake-failed'>>;

function openSocket(socketPath: string): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath);
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}

/** Connects to the workspace's agent and performs the handshake. */
export async function connectToAgent(workspace: string, client = 'cli', protocolVersion = PROTOCOL_VERSION): Promise<ConnectResult> {
  const socketPath = socketPathFor({ workspace });
  const socket = await openSocket(socketPath);
  if (!socket) return failed({ reason: 'not-running', message: `no agent runs for ${workspace}` });
  // A silent logger: a connection closed by the agent's exit is expected, not news.
  const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, log: () => undefined };
  // Pre-encoded results (protocol/preEncoded.ts) stay bytes, for the commands that print them as they come.
  const reader = new StreamMessageReader(socket, { contentTypeDecoder: keepingPreEncodedResults });
  const connection = createMessageConnection(reader, new OneWriteMessageWriter(socket), quiet);
  connection.listen();
  const close = (): void => {
    connection.dispose();
    socket.destroy();
  };
  // An agent that dies as it accepts (a SIGKILLed agent's listening socket can outlive its connections for
  // a moment) closes the socket without answering: the request would wait forever, with nothing left to
  // keep this process alive, and the command would end silently with exit 0. That agent is not running.
  let gone = false;
  const closed = new Promise<null>((resolve) =>
    connection.onClose(() => {
      gone = true;
      resolve(null);
    }),
  );
  try {
    const handshake = await Promise.race([connection.sendRequest(HandshakeRequest.type, { protocolVersion, client }), closed]);
    if (handshake === null || gone) {
      close();
      return failed({ reason: 'not-running', message: `no agent runs for ${workspace}` });
    }
    return ok({ connection, handshake, socketPath, close });
  } catch (error: unknown) {
    close();
    if (gone) return failed({ reason: 'not-running', message: `no agent runs for ${workspace}` });
    return failed({ reason: 'handshake-failed', message: (error as Error).message });
  }
}

export interface EnsureOptions {
  readonly workspace: string;
  readonly configFile?: string | undefined;
  readonly rolesFile?: string | undefined;
  /** The script that runs `taskwarden agent` (the CLI bundle). */
  readonly cliScript: string;
  readonly nodePath?: string;
  readonly timeoutMs?: number;
}

/** A connection to a running agent, and whether this call started it. */
export type EnsureResult = Result<
  { readonly agent: AgentConnection; readonly started: boolean },
  Failure<'handshake-failed' | 'start-failed'>
>;

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Connects to the running agent, or starts one detached and waits until it answers. */
export async function ensureAgent(options: EnsureOptions): Promise<EnsureResult> {
  const first = await connectToAgent(options.workspace);
  if (first.ok) return ok({ agent: first.value, started: false });
  if (first.error.reason === 'handshake-failed') return failed({ reason: 'handshake-failed', message: first.error.message });

  const paths = statePaths(options.workspace);
  // Private from the first instant (the agent also corrects modes when it starts).
  fs.mkdirSync(paths.logs, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  const output = fs.openSync(paths.agentLog, 'a', PRIVATE_FILE_MODE);
  const args = [...AGENT_NODE_FLAGS, options.cliScript, 'agent', '-w', options.workspace];
  if (options.configFile) args.push('-f', options.configFile);
  if (options.rolesFile) args.push('-r', options.rolesFile);
  // Detached: a new session, so closing VS Code or the terminal never stops it.
  const child = spawn(options.nodePath ?? process.execPath, args, {
    detached: true,
    stdio: ['ignore', output, output],
    cwd: options.workspace,
  });
  fs.closeSync(output);
  const spawned: { exitCode: number | null } = { exitCode: null };
  child.once('exit', (code) => (spawned.exitCode = code ?? 1));
  child.unref();

  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    const attempt = await connectToAgent(options.workspace);
    if (attempt.ok) return ok({ agent: attempt.value, started: true });
    if (attempt.error.reason === 'handshake-failed') return failed({ reason: 'handshake-failed', message: attempt.error.message });
    // Another `up` may have won the race: our child exits, theirs answers soon.
    if (spawned.exitCode !== null && spawned.exitCode !== EXIT_AGENT_ALREADY_RUNNING) {
      return failed({
        reason: 'start-failed',
        message: `the agent exited with code ${spawned.exitCode} before answering; its log (${paths.agentLog}) ends with:\n${tail(paths.agentLog, 10)}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return failed({
    reason: 'start-failed',
    message: `the agent did not answer within ${(options.timeoutMs ?? 15_000) / 1000} s; see ${paths.agentLog}`,
  });
}

/** The CLI script this process runs from (to start agents with the same code). */
export function currentCliScript(): string {
  return path.resolve(process.argv[1] ?? 'taskwarden');
}
