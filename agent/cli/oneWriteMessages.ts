/**
 * The socket a client writes its JSON-RPC messages to, one write per message.
 * vscode-jsonrpc writes a message's header, and its body once that write is
 * done: two packets, so the agent read most messages in two pieces (two reads,
 * a partial-message timer set and cleared each time). Its header is the one
 * write it makes as a string (the body is bytes): held back here and written
 * with the body. Twenty group runners report a round a second each, so this is
 * most of the agent's reading.
 */
import type * as net from 'node:net';
import { Disposable, WriteableStreamMessageWriter, type RAL } from 'vscode-jsonrpc/node';

class OneWritePerMessage implements RAL.WritableStream {
  private header: Buffer | null = null;

  constructor(private readonly socket: net.Socket) {}

  onClose(listener: () => void): Disposable {
    return this.listen('close', listener);
  }

  onError(listener: (error: unknown) => void): Disposable {
    return this.listen('error', listener);
  }

  onEnd(listener: () => void): Disposable {
    return this.listen('end', listener);
  }

  private listen(event: string, listener: (error: Error) => void): Disposable {
    this.socket.on(event, listener);
    return Disposable.create(() => this.socket.off(event, listener));
  }

  write(data: Uint8Array | string, encoding?: RAL.MessageBufferEncoding): Promise<void> {
    if (typeof data === 'string' && this.header === null) {
      this.header = Buffer.from(data, encoding ?? 'ascii');
      return Promise.resolve();
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : data;
    const chunk = this.header === null ? bytes : Buffer.concat([this.header, bytes]);
    this.header = null;
    return new Promise((resolve, reject) => this.socket.write(chunk, (error) => (error ? reject(error) : resolve())));
  }

  end(): void {
    this.socket.end();
  }
}

/** A message writer to the agent's socket that sends each message in one write. */
export class OneWriteMessageWriter extends WriteableStreamMessageWriter {
  constructor(private readonly socket: net.Socket) {
    super(new OneWritePerMessage(socket));
  }

  override dispose(): void {
    super.dispose();
    this.socket.destroy();
  }
}
