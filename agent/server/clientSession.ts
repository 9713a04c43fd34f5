/**
 * One connected client (a VS Code window, a CLI call, a test). Every socket
 * speaks JSON-RPC through a vscode-languageserver connection, so the extension's
 * language client and plain clients share one code path. A client's
 * `shutdown`/`exit` or a dropped socket ends only this session, never the agent.
 */
import type * as net from 'node:net';
import { ResponseError, type NotificationType } from 'vscode-jsonrpc';
import { SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  createProtocolConnection,
  type Connection,
  type InitializeError,
  type InitializeResult,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import type { Logger } from '../log';
import { HandshakeRequest, type HandshakeResult, type LanguageInitializationOptions } from '../protocol/agent';
import { ErrorCodes } from '../protocol/errors';
import { writingPreEncodedResults } from '../protocol/preEncoded';
import { PROTOCOL_VERSION } from '../protocol/version';
import { invoke, type ClientHandle, type RpcRegistry } from '../core/rpc';

export interface SessionOptions {
  readonly id: number;
  readonly socket: net.Socket;
  readonly rpc: RpcRegistry;
  readonly log: Logger;
  readonly handshakeResult: () => Omit<HandshakeResult, 'protocolVersion'>;
  /** Language features (diagnostics, lenses, hovers) to attach to this connection. */
  readonly attachLanguageFeatures: (connection: Connection, session: ClientSession) => void;
  readonly onClose: (session: ClientSession) => void;
}

function mismatchMessage(clientVersion: unknown): string {
  return `protocol mismatch: this client speaks Taskwarden protocol ${String(clientVersion)}, the agent speaks ${PROTOCOL_VERSION}; restart the agent (taskwarden down) or update the client`;
}

export class ClientSession implements ClientHandle {
  readonly id: number;
  name = 'unknown';
  private handshaken = false;
  private codeLensRefresh = false;
  /** The editor completes and explains schema keys itself (LanguageInitializationOptions). */
  yamlSchemaSupport = false;
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];
  readonly connection: Connection;

  constructor(private readonly options: SessionOptions) {
    this.id = options.id;
    const { socket, log } = options;
    this.connection = createConnection(
      // Transport problems go to the agent's log, not back over the (often closing) connection.
      () =>
        createProtocolConnection(
          new SocketMessageReader(socket),
          new SocketMessageWriter(socket, { contentTypeEncoder: writingPreEncodedResults }),
          {
            error: (message) => log.debug(`client ${this.id}: ${message}`),
            warn: (message) => log.debug(`client ${this.id}: ${message}`),
            info: () => undefined,
            log: () => undefined,
          },
        ),
      {
        shutdownReceived: false,
        initialize: () => undefined,
        // The client's `exit` closes its own socket; the agent runs on.
        exit: () => socket.end(),
      },
    );
    this.installHandshake();
    this.installRegistry();
    options.attachLanguageFeatures(this.connection, this);
    socket.on('close', () => this.close());
    socket.on('error', (error) => log.debug(`client ${this.id}: socket error ${error.message}`));
    this.connection.listen();
  }

  private installHandshake(): void {
    this.connection.onInitialize((params): InitializeResult | ResponseError<InitializeError> => {
      const options = (params.initializationOptions ?? {}) as Partial<Record<keyof LanguageInitializationOptions, unknown>>;
      if (options.protocolVersion !== PROTOCOL_VERSION)
        return new ResponseError(ErrorCodes.ProtocolMismatch, mismatchMessage(options.protocolVersion), { retry: false });
      this.accept(typeof options.client === 'string' ? options.client : 'language-client');
      this.codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
      this.yamlSchemaSupport = options.yamlSchemaSupport === true;
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          codeLensProvider: { resolveProvider: false },
          hoverProvider: true,
          completionProvider: { triggerCharacters: [':', ' ', '-'] },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          documentSymbolProvider: true,
        },
        serverInfo: { name: 'taskwarden-agent', version: this.options.handshakeResult().agentVersion },
      };
    });
    this.connection.onRequest(HandshakeRequest.type, (params) => {
      if (params?.protocolVersion !== PROTOCOL_VERSION)
        return new ResponseError(ErrorCodes.ProtocolMismatch, mismatchMessage(params?.protocolVersion));
      this.accept(params.client);
      return { ...this.options.handshakeResult(), protocolVersion: PROTOCOL_VERSION };
    });
  }

  private accept(client: string): void {
    this.name = client;
    if (!this.handshaken) this.options.log.debug(`client ${this.id} (${client}) connected`);
    this.handshaken = true;
  }

  private installRegistry(): void {
    for (const { method, handler } of this.options.rpc.methods()) {
      this.connection.onRequest(method, (params: unknown) => {
        if (!this.handshaken) return new ResponseError(ErrorCodes.HandshakeRequired, `call ${HandshakeRequest.method} first`);
        return invoke(handler, params, this, (error) => this.crashed(method, error));
      });
    }
    for (const { method, handler } of this.options.rpc.notifications()) {
      this.connection.onNotification(method, (params: unknown) => {
        // Before the handshake a notification has no one to answer: it is dropped.
        if (!this.handshaken) return;
        try {
          handler(params, this);
        } catch (error: unknown) {
          this.crashed(method, error);
        }
      });
    }
  }

  private crashed(method: string, error: unknown): void {
    this.options.log.error(`${method} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  get isHandshaken(): boolean {
    return this.handshaken;
  }

  sendNotification<P>(type: NotificationType<P>, params: P): void {
    if (this.closed) return;
    void this.connection.sendNotification(type.method, params).catch(() => undefined);
  }

  /** Asks an editor client to re-request code lenses (they show live state). */
  refreshCodeLenses(): void {
    if (this.closed || !this.codeLensRefresh) return;
    void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.socket.destroy();
    for (const listener of this.closeListeners.splice(0)) listener();
    this.options.onClose(this);
    this.connection.dispose();
  }
}
