/**
 * The feedback file grammar (a task's `feedback_<id>.log`), pure.
 *
 * A task reports progress by appending lines to its feedback file:
 *
 *   [key]value   sets key to value (a string; the last value wins)
 *   [key]        deletes key (deleting an absent key does nothing)
 *   []           clears every key
 *   anything else is ignored: `#` comments, blank lines, malformed lines
 *
 * Rules, decided once here:
 * - Lines end at `\n`, `\r\n` or a lone `\r` (Python's universal newlines, which
 *   taskwatcher's parser had). Each line is trimmed of leading and trailing
 *   whitespace (`String.prototype.trim`, which also drops a byte-order mark), so a
 *   value keeps its inner spaces and brackets but never a trailing `\r` or space, and
 *   `[key]   ` is a deletion.
 * - A key is one or more ASCII letters, digits, `-` or `_`; it may start with a
 *   digit. taskwatcher's README says it should not, but its parser accepts it and
 *   programs write such keys; rejecting them would silently lose their data.
 * - The key ends at the first `]`: `[k]]x` sets k to `]x`. `[]` followed by
 *   anything but whitespace is malformed and ignored (a clear is destructive).
 * - Bytes are UTF-8; invalid sequences become U+FFFD, never an error.
 * - Key order is the order of the last first insertion: setting an existing key
 *   keeps its place, a deleted or cleared key that is set again goes last. Plain JS
 *   objects list array-index keys ("0", "42") first whatever their insertion order;
 *   `FeedbackAccumulator.entries()` keeps the exact order for every key.
 *
 * `FeedbackAccumulator` consumes the bytes of a growing file chunk by chunk, so the
 * agent reads only what was appended since its saved offset.
 */

/** The parsed feedback: key → last value. */
export type FeedbackValues = Record<string, string>;

/** What one line of a feedback file means. */
export type FeedbackLine =
  | { readonly kind: 'set'; readonly key: string; readonly value: string }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'clear' }
  | { readonly kind: 'ignored' };

/** A line longer than this that is still unterminated is dropped, to bound memory. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const KEY = /^[A-Za-z0-9_-]*$/;
const OPEN_BRACKET = 0x5b;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const IGNORED: FeedbackLine = { kind: 'ignored' };
const CLEAR: FeedbackLine = { kind: 'clear' };

/** Interprets one line (without its line terminator) by the grammar above. */
export function parseFeedbackLine(line: string): FeedbackLine {
  const text = line.trim();
  if (text.charCodeAt(0) !== OPEN_BRACKET) return IGNORED;
  const close = text.indexOf(']');
  if (close < 0) return IGNORED;
  const key = text.slice(1, close);
  if (!KEY.test(key)) return IGNORED;
  const value = text.slice(close + 1);
  if (key === '') return value === '' ? CLEAR : IGNORED;
  return value === '' ? { kind: 'delete', key } : { kind: 'set', key, value };
}

/**
 * Parses a whole feedback file. A last line without a terminator counts.
 * Never throws: invalid UTF-8 is decoded with replacement characters.
 */
export function parseFeedback(input: string | Uint8Array): FeedbackValues {
  const accumulator = new FeedbackAccumulator();
  accumulator.push(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  accumulator.finish();
  return accumulator.values();
}

/** Where an accumulator starts: values and file offset saved from an earlier one. */
export interface FeedbackResumePoint {
  readonly values: Readonly<FeedbackValues>;
  /** A `committedOffset` of the earlier accumulator: the start of a line. */
  readonly offset: number;
}

export interface FeedbackAccumulatorOptions {
  /** Resume after an agent restart instead of starting from an empty file. */
  readonly resumeFrom?: FeedbackResumePoint;
  /** Memory bound for one unterminated line; default `DEFAULT_MAX_LINE_BYTES`. */
  readonly maxLineBytes?: number;
}

/**
 * Incremental feedback parser for a file that grows by appends.
 *
 * Push the file's bytes in order, in chunks of any size: a line or a multi-byte
 * character split across chunks is put back together. An unterminated last line is
 * held back until its terminator arrives (it may be half written); `finish()`
 * applies it when the file is known to be complete. When the file was truncated or
 * replaced, call `reset()` and push it again from offset 0.
 */
export class FeedbackAccumulator {
  readonly #maxLineBytes: number;
  #values = new Map<string, string>();
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #skippingLongLine = false;
  #offset = 0;
  #committedOffset = 0;
  #version = 0;
  #droppedLongLines = 0;

  constructor(options: FeedbackAccumulatorOptions = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const resume = options.resumeFrom;
    if (resume !== undefined) {
      this.#values = new Map(Object.entries(resume.values));
      this.#offset = resume.offset;
      this.#committedOffset = resume.offset;
    }
  }

  /** The file offset of the next byte to push (bytes pushed since the start or last reset). */
  get offset(): number {
    return this.#offset;
  }

  /** The file offset just after the last complete line: save it with `values()` to resume. */
  get committedOffset(): number {
    return this.#committedOffset;
  }

  /** Increases every time the values change; compare to skip redundant notifications. */
  get version(): number {
    return this.#version;
  }

  /** How many lines were dropped for exceeding `maxLineBytes` since the start or last reset. */
  get droppedLongLines(): number {
    return this.#droppedLongLines;
  }

  /** Consumes the next bytes of the file. Returns true when the values changed. */
  push(chunk: Uint8Array): boolean {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const versionBefore = this.#version;
    let lineStart = 0;
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index];
      if (byte !== LINE_FEED && byte !== CARRIAGE_RETURN) continue;
      if (this.#pendingBytes > 0 || this.#skippingLongLine) {
        this.#endPendingLine(bytes.subarray(lineStart, index));
      } else {
        this.#applyBytes(bytes, lineStart, index);
      }
      lineStart = index + 1;
      this.#committedOffset = this.#offset + lineStart;
    }
    this.#hold(bytes.subarray(lineStart));
    this.#offset += bytes.length;
    return this.#version !== versionBefore;
  }

  /**
   * Applies the held-back unterminated last line: call when the file is complete
   * (the task ended). Bytes pushed afterwards start a new line.
   */
  finish(): boolean {
    const versionBefore = this.#version;
    if (this.#pendingBytes > 0 || this.#skippingLongLine) this.#endPendingLine(Buffer.alloc(0));
    this.#committedOffset = this.#offset;
    return this.#version !== versionBefore;
  }

  /** Forgets everything (the file was truncated or replaced); push again from offset 0. */
  reset(): void {
    if (this.#values.size > 0) this.#version++;
    this.#values = new Map();
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#skippingLongLine = false;
    this.#offset = 0;
    this.#committedOffset = 0;
    this.#droppedLongLines = 0;
  }

  /** The values from every complete line, as a new plain object. */
  values(): FeedbackValues {
    return Object.fromEntries(this.#values);
  }

  /** Like `values()`, plus the held-back last line as if complete (for a live view). */
  valuesWithPartialLine(): FeedbackValues {
    if (this.#pendingBytes === 0 || this.#skippingLongLine) return this.values();
    const copy = new Map(this.#values);
    applyLine(copy, decode(Buffer.concat(this.#pending)));
    return Object.fromEntries(copy);
  }

  /** The key/value pairs in their exact order (see the file header). */
  entries(): [string, string][] {
    return [...this.#values];
  }

  #hold(rest: Buffer): void {
    if (rest.length === 0 || this.#skippingLongLine) return;
    if (this.#pendingBytes + rest.length > this.#maxLineBytes) {
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#skippingLongLine = true;
      return;
    }
    // Copy: the caller may reuse its read buffer for the next chunk.
    this.#pending.push(Buffer.from(rest));
    this.#pendingBytes += rest.length;
  }

  #endPendingLine(tail: Buffer): void {
    if (this.#skippingLongLine || this.#pendingBytes + tail.length > this.#maxLineBytes) {
      this.#droppedLongLines++;
    } else {
      const line = Buffer.concat([...this.#pending, tail]);
      this.#applyBytes(line, 0, line.length);
    }
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#skippingLongLine = false;
  }

  #applyBytes(bytes: Buffer, start: number, end: number): void {
    if (end - start > this.#maxLineBytes) {
      this.#droppedLongLines++;
      return;
    }
    // Fast path: most ignored lines (comments, blanks) are rejected without decoding.
    let first = start;
    while (first < end && isAsciiSpace(bytes[first])) first++;
    if (first === end) return;
    const byte = bytes[first] ?? 0;
    if (byte < 0x80 && byte !== OPEN_BRACKET) return;
    if (applyLine(this.#values, decode(bytes, first, end))) this.#version++;
  }
}

/** Applies one line to the map; returns true when the map changed. */
function applyLine(values: Map<string, string>, line: string): boolean {
  const parsed = parseFeedbackLine(line);
  switch (parsed.kind) {
    case 'set': {
      if (values.get(parsed.key) === parsed.value) return false;
      values.set(parsed.key, parsed.value);
      return true;
    }
    case 'delete':
      return values.delete(parsed.key);
    case 'clear': {
      const changed = values.size > 0;
      values.clear();
      return changed;
    }
    case 'ignored':
      return false;
    default: {
      const unreachable: never = parsed;
      return unreachable;
    }
  }
}

function decode(bytes: Buffer, start = 0, end = bytes.length): string {
  // Buffer's UTF-8 decoding replaces invalid sequences with U+FFFD, like TextDecoder.
  return bytes.toString('utf8', start, end);
}

function isAsciiSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0b || byte === 0x0c;
}
