/**
 * The extension's one connection to the agent: a vscode-languageclient over the
 * agent's Unix socket, carrying both the Taskwarden protocol and the LSP
 * features for taskwarden.yaml. When the socket drops (agent killed), the
 * client reconnects, and reconnecting starts a new agent that adopts the
 * running processes.
 */
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import {
  CloseAction,
  CodeLensRequest,
  ErrorAction,
  LanguageClient,
  State,
  type LanguageClientOptions,
  type StreamInfo,
} from 'vscode-languageclient/node';
import {
  HandshakeRequest,
  HealthNotification,
  PROTOCOL_VERSION,
  StateChangedNotification,
  SubscribeRequest,
  type HealthParams,
  type LanguageInitializationOptions,
  type PartName,
  type StateChangedParams,
} from '../../agent/protocol';
import type { AgentApi, ConnectionState } from './agentApi';
import { launchAgent } from './agentLauncher';

/** Red Hat's YAML extension (a language server that reads package.json's yamlValidation schema). */
const YAML_EXTENSION_ID = 'redhat.vscode-yaml';

export interface AgentClientOptions {
  readonly workspaceFolder: string;
  readonly extensionPath: string;
  /** The Node.js that runs the CLI which starts the agent (read at each connect). */
  readonly nodePath: () => string;
  readonly outputChannel: vscode.LogOutputChannel;
  /** The parts whose changes the views follow (extension/parts.ts): the topics this client subscribes to. */
  readonly parts: readonly PartName[];
}

/** A request unanswered this long is written to the log (and again when it is answered). */
const SLOW_REQUEST_MS = 5_000;

function describeState(state: ConnectionState): string {
  switch (state.kind) {
    case 'running':
      return `running (agent pid ${state.pid}, version ${state.agentVersion})`;
    case 'failed':
      return `failed: ${state.message}`;
    default:
      return state.kind;
  }
}

function connectSocket(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

export class AgentClient implements AgentApi, vscode.Disposable {
  private client: LanguageClient | undefined;
  /** A window connects as soon as it has a client (activation creates it and connects at once). */
  private currentState: ConnectionState = { kind: 'connecting' };
  private currentHealth: HealthParams | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<ConnectionState>();
  private readonly healthEmitter = new vscode.EventEmitter<HealthParams>();
  private readonly partEmitters: ReadonlyMap<PartName, vscode.EventEmitter<unknown>>;
  private readonly notificationListeners = new Map<string, Set<(params: unknown) => void>>();
  /** The topics whose changes arrived since the last connect (the first of each is logged). */
  private readonly topicsHeard = new Set<PartName>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeHealth = this.healthEmitter.event;

  constructor(private readonly options: AgentClientOptions) {
    this.partEmitters = new Map(options.parts.map((part) => [part, new vscode.EventEmitter<unknown>()]));
  }

  get workspaceFolder(): string {
    return this.options.workspaceFolder;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get health(): HealthParams | undefined {
    return this.currentHealth;
  }

  private setState(state: ConnectionState): void {
    this.options.outputChannel.info(`connection: ${describeState(state)}`);
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  /** Marks the connection failed without trying (e.g. no usable Node.js). */
  fail(message: string): void {
    this.setState({ kind: 'failed', message });
  }

  async start(): Promise<void> {
    if (this.client) return;
    this.setState({ kind: 'connecting' });
    const serverOptions = async (): Promise<StreamInfo> => {
      const launched = await launchAgent(this.options.nodePath(), this.options.extensionPath, this.options.workspaceFolder);
      if (!launched.ok) {
        this.setState({ kind: 'failed', message: launched.message });
        throw new Error(launched.message);
      }
      const socket = await connectSocket(launched.agent.socketPath);
      return { reader: socket, writer: socket };
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: '**/taskwarden.yaml' }],
      initializationOptions: {
        protocolVersion: PROTOCOL_VERSION,
        client: 'vscode',
        // Red Hat's YAML extension completes and explains keys from our yamlValidation schema: the agent then leaves those to it.
        yamlSchemaSupport: vscode.extensions.getExtension(YAML_EXTENSION_ID) !== undefined,
      } satisfies LanguageInitializationOptions,
      outputChannel: this.options.outputChannel,
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        // The agent went away (killed, stopped elsewhere): reconnect, which starts a new one.
        closed: () => ({ action: this.stopping ? CloseAction.DoNotRestart : CloseAction.Restart, handled: true }),
      },
    };
    const client = new LanguageClient('taskwarden', 'Taskwarden Agent', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Running) void this.afterConnect(client);
      else if (newState === State.Stopped && this.currentState.kind !== 'failed') this.setState({ kind: 'stopped' });
    });
    client.onNotification(HealthNotification.type, (health) => {
      this.currentHealth = health;
      this.healthEmitter.fire(health);
    });
    for (const method of this.notificationListeners.keys()) this.dispatchNotifications(client, method);
    client.onNotification(StateChangedNotification.type, (params: StateChangedParams) => {
      if (!this.topicsHeard.has(params.topic)) {
        this.topicsHeard.add(params.topic);
        this.options.outputChannel.info(`first ${params.topic} change since connecting (sequence ${params.sequence})`);
      }
      this.partEmitters.get(params.topic)?.fire(params.delta);
    });
    try {
      await client.start();
    } catch (error: unknown) {
      this.client = undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.setState({ kind: 'failed', message });
      throw error;
    }
  }

  private stopping = false;

  private async afterConnect(client: LanguageClient): Promise<void> {
    try {
      const handshake = await client.sendRequest(HandshakeRequest.type, { protocolVersion: PROTOCOL_VERSION, client: 'vscode' });
      await client.sendRequest(SubscribeRequest.type, { topics: [...this.options.parts, 'config', 'health'] });
      this.topicsHeard.clear();
      this.options.outputChannel.info(`subscribed to ${[...this.options.parts, 'config', 'health'].join(', ')}`);
      this.setState({ kind: 'running', pid: handshake.pid, agentVersion: handshake.agentVersion });
    } catch (error: unknown) {
      this.setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Disconnects this window only; the agent keeps running. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.stopping = true;
    try {
      if (client?.isRunning()) await client.stop();
    } finally {
      this.stopping = false;
      this.setState({ kind: 'stopped' });
    }
  }

  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  request<R>(type: RequestType0<R, void>): Promise<R>;
  async request<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, params?: P): Promise<R> {
    const client = this.client;
    if (!client || this.currentState.kind !== 'running') throw new Error(this.notRunningMessage());
    const sent = params === undefined ? client.sendRequest<R>(type.method) : client.sendRequest<R>(type.method, params);
    return this.watched(type.method, sent);
  }

  /** A request that takes long, or fails, is written to the Taskwarden log: a view that stays empty says why there. */
  private async watched<R>(method: string, answer: Promise<R>): Promise<R> {
    const log = this.options.outputChannel;
    const started = Date.now();
    const slow = setTimeout(() => log.warn(`${method}: no answer after ${SLOW_REQUEST_MS / 1000} s (still waiting)`), SLOW_REQUEST_MS);
    try {
      const result = await answer;
      if (Date.now() - started >= SLOW_REQUEST_MS) log.info(`${method}: answered after ${Date.now() - started} ms`);
      return result;
    } catch (error: unknown) {
      log.warn(`${method}: failed after ${Date.now() - started} ms: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      clearTimeout(slow);
    }
  }

  private notRunningMessage(): string {
    switch (this.currentState.kind) {
      case 'untrusted':
        return 'Taskwarden runs nothing until you trust this workspace.';
      case 'failed':
        return `The Taskwarden agent is not running: ${this.currentState.message}`;
      case 'connecting':
        return 'Taskwarden is still connecting to its agent.';
      case 'stopped':
      case 'running':
        return 'The Taskwarden agent is not running. Run "Taskwarden: Restart Agent".';
    }
  }

  onPartChanged(topic: PartName, listener: (delta: unknown) => void): vscode.Disposable {
    const emitter = this.partEmitters.get(topic);
    if (!emitter) throw new Error(`not a part this client follows: ${topic}`);
    return emitter.event(listener);
  }

  onNotification<P>(type: NotificationType<P>, listener: (params: P) => void): vscode.Disposable {
    const listeners = this.notificationListeners.get(type.method) ?? new Set();
    const isNew = !this.notificationListeners.has(type.method);
    this.notificationListeners.set(type.method, listeners);
    listeners.add(listener as (params: unknown) => void);
    if (isNew && this.client) this.dispatchNotifications(this.client, type.method);
    return new vscode.Disposable(() => listeners.delete(listener as (params: unknown) => void));
  }

  refreshCodeLenses(): void {
    const client = this.client;
    if (!client?.isRunning()) return;
    const feature = client.getFeature(CodeLensRequest.method);
    // One provider serves every config document: firing it once re-requests them all.
    const provider = vscode.workspace.textDocuments.map((document) => feature.getProvider(document)).find((found) => found !== undefined);
    provider?.onDidChangeCodeLensEmitter.fire();
  }

  /** Handlers registered on the client survive its reconnects, so each method is registered once. */
  private dispatchNotifications(client: LanguageClient, method: string): void {
    client.onNotification(method, (params: unknown) => this.notificationListeners.get(method)?.forEach((listener) => listener(params)));
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.healthEmitter.dispose();
    for (const emitter of this.partEmitters.values()) emitter.dispose();
  }
}
