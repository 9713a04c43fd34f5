/**
 * Results the agent sends already encoded. A large result (10,000 queued items for
 * `queue list --json`) costs the agent a JSON encoding of thousands of objects, or of one huge
 * escaped string, and the client a parse and a re-encoding before it prints. Instead the agent
 * keeps the JSON text of such a result and writes it into the response as it is, marked:
 *
 *   {"jsonrpc":"2.0","id":7,"preEncoded":true,"result":[…]}
 *
 * Any JSON-RPC client reads that as the plain result (the extra member is ignored); a client that
 * reads with {@link keepingPreEncodedResults} gets the result's bytes untouched, to write out.
 */
import type { ContentTypeDecoder, ContentTypeEncoder, Message } from 'vscode-jsonrpc';

const HEAD = Buffer.from('{"jsonrpc":"2.0","id":');
const MARK = Buffer.from(',"preEncoded":true,"result":');
const TAIL = 0x7d; // }
const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((text) => Buffer.from(text)) as [Buffer, Buffer, Buffer];
/** Room kept in front of a result built with {@link PreEncodedJson.join}, for the response's head. */
const HEADROOM = 96;

/** The JSON text of a request's result, sent or received as it is. */
export class PreEncodedJson {
  /** The text is `buffer[start, end)`; a result built by `join` has room around it for the response. */
  private constructor(
    private readonly buffer: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  static of(bytes: Uint8Array): PreEncodedJson {
    return new PreEncodedJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
  }

  /**
   * The pieces' bytes one after the other, copied once into a buffer with room for the response's
   * head and tail, so that sending it copies nothing more. One such value answers one request.
   */
  static join(pieces: readonly Uint8Array[]): PreEncodedJson {
    const length = pieces.reduce((sum, piece) => sum + piece.byteLength, 0);
    const buffer = Buffer.allocUnsafe(HEADROOM + length + 1);
    let at = HEADROOM;
    for (const piece of pieces) {
      buffer.set(piece, at);
      at += piece.byteLength;
    }
    return new PreEncodedJson(buffer, HEADROOM, at);
  }

  /** A JSON array of rows that are each already JSON text (or comma-joined runs of them). */
  static array(rows: readonly Uint8Array[]): PreEncodedJson {
    const pieces: Uint8Array[] = [OPEN];
    for (const row of rows) {
      if (pieces.length > 1) pieces.push(COMMA);
      pieces.push(row);
    }
    pieces.push(CLOSE);
    return PreEncodedJson.join(pieces);
  }

  get bytes(): Buffer {
    return this.buffer.subarray(this.start, this.end);
  }

  /** The value itself, for a caller that wants it parsed after all. */
  parse(): unknown {
    return JSON.parse(this.bytes.toString('utf8'));
  }

  /** The whole response with this result, written around it when there is room. */
  response(id: number | string | null): Buffer {
    const head = Buffer.concat([HEAD, Buffer.from(JSON.stringify(id)), MARK]);
    if (this.start < head.length || this.end >= this.buffer.length) return Buffer.concat([head, this.bytes, Buffer.of(TAIL)]);
    head.copy(this.buffer, this.start - head.length);
    this.buffer[this.end] = TAIL;
    return this.buffer.subarray(this.start - head.length, this.end + 1);
  }
}

/** The agent's message encoding: JSON, except that a PreEncodedJson result goes in as it is. */
export const writingPreEncodedResults: ContentTypeEncoder = {
  name: 'application/json',
  encode(message: Message): Promise<Uint8Array> {
    const result = 'result' in message ? message.result : undefined;
    if (result instanceof PreEncodedJson && 'id' in message) return Promise.resolve(result.response(message.id as number | string | null));
    return Promise.resolve(Buffer.from(JSON.stringify(message), 'utf8'));
  },
};

/** A client's message decoding: JSON, except that a pre-encoded result stays a PreEncodedJson of its bytes. */
export const keepingPreEncodedResults: ContentTypeDecoder = {
  name: 'application/json',
  decode(buffer: Uint8Array): Promise<Message> {
    const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (bytes.subarray(0, HEAD.length).equals(HEAD)) {
      const mark = bytes.indexOf(MARK, HEAD.length);
      // The id is a number or a short string: the mark, if this response has one, comes right after it.
      if (mark > 0 && mark < HEAD.length + 64 && bytes[bytes.length - 1] === TAIL) {
        const id = JSON.parse(bytes.subarray(HEAD.length, mark).toString('utf8')) as number | string;
        const result = PreEncodedJson.of(bytes.subarray(mark + MARK.length, bytes.length - 1));
        return Promise.resolve({ jsonrpc: '2.0', id, result } as Message);
      }
    }
    return Promise.resolve(JSON.parse(bytes.toString('utf8')) as Message);
  },
};
