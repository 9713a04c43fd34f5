/**
 * An LSP client of the real agent over its socket, as VS Code's language
 * client connects: `initialize` with the protocol version (and whatever other
 * initialization options the test gives), then `initialized`.
 */
import * as net from 'node:net';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { PROTOCOL_VERSION, socketPathFor } from '../../../agent/protocol';

export interface LanguageClientHooks<D> {
  /** The agent asks the client to fetch code lenses again. */
  readonly onRefresh?: () => void;
  /** A `textDocument/publishDiagnostics` notification's params. */
  readonly onDiagnostics?: (params: D) => void;
  /** Added to `{protocolVersion, client: 'test-lsp'}`. */
  readonly initializationOptions?: Readonly<Record<string, unknown>>;
}

/** A connected, initialized client; the caller disposes it. */
export async function languageClient<D = unknown>(dir: string, hooks: LanguageClientHooks<D> = {}): Promise<MessageConnection> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const candidate = net.createConnection(socketPathFor({ workspace: dir }));
    candidate.once('connect', () => resolve(candidate));
    candidate.once('error', reject);
  });
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  connection.onRequest('workspace/codeLens/refresh', () => {
    hooks.onRefresh?.();
    return null;
  });
  connection.onNotification('textDocument/publishDiagnostics', (params: D) => hooks.onDiagnostics?.(params));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: null,
    rootUri: pathToFileURL(dir).href,
    capabilities: { workspace: { codeLens: { refreshSupport: true } } },
    initializationOptions: { protocolVersion: PROTOCOL_VERSION, client: 'test-lsp', ...hooks.initializationOptions },
  });
  await connection.sendNotification('initialized', {});
  return connection;
}
