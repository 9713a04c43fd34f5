/**
 * A queue's waiting items in run order, with their `queue list --json` rows kept joined once a
 * list asked for them: pushing then appends a row and starting the head drops its row from the
 * front (both O(1) on V8 strings); any other change (remove, move, clear) joins again on the next
 * list. So listing 10,000 queued items again costs a string hand-over, not 10,000 serializations,
 * and a queue nobody lists (or one loaded at start) serializes nothing. It also counts the ids its
 * items wait for (`--after`), so that the history keeps their ends while they wait.
 */
import type { QueueEntry } from './queueEntry';

export class QueuedItems implements Iterable<QueueEntry> {
  private readonly items: QueueEntry[] = [];
  /** The rows of `items`, comma-joined; null until a list asks (again). */
  private joined: string | null = null;
  private encoded: { readonly text: string; readonly bytes: Buffer } | null = null;
  /** How many of `items` run `--after` each id. */
  private readonly waitedFor = new Map<string, number>();

  get length(): number {
    return this.items.length;
  }

  /** The item at `index`, undefined past the end. */
  at(index: number): QueueEntry | undefined {
    return this.items[index];
  }

  indexOf(entry: QueueEntry): number {
    return this.items.indexOf(entry);
  }

  slice(start?: number, end?: number): QueueEntry[] {
    return this.items.slice(start, end);
  }

  [Symbol.iterator](): Iterator<QueueEntry> {
    return this.items[Symbol.iterator]();
  }

  /** The ids these items run `--after`. */
  awaited(): IterableIterator<string> {
    return this.waitedFor.keys();
  }

  private count(entry: QueueEntry, step: 1 | -1): void {
    for (const id of entry.after) {
      const count = (this.waitedFor.get(id) ?? 0) + step;
      if (count > 0) this.waitedFor.set(id, count);
      else this.waitedFor.delete(id);
    }
  }

  push(entry: QueueEntry): void {
    this.items.push(entry);
    this.count(entry, 1);
    if (this.joined !== null) this.joined = this.joined === '' ? entry.listJson() : `${this.joined},${entry.listJson()}`;
  }

  /** Takes the head (the next to start). */
  shift(): QueueEntry | undefined {
    const head = this.items.shift();
    if (head !== undefined) this.count(head, -1);
    if (head !== undefined && this.joined !== null) {
      // The head's row is the one it was joined with, whatever its state is by now.
      const row = head.queuedRow;
      this.joined = this.items.length === 0 ? '' : row === null ? null : this.joined.slice(row.length + 1);
    }
    return head;
  }

  /** Removes one item; false when it is not here. */
  remove(entry: QueueEntry): boolean {
    const index = this.items.indexOf(entry);
    if (index === -1) return false;
    this.items.splice(index, 1);
    this.count(entry, -1);
    this.joined = null;
    return true;
  }

  insert(index: number, entry: QueueEntry): void {
    this.items.splice(index, 0, entry);
    this.count(entry, 1);
    this.joined = null;
  }

  /** Removes and returns every item. */
  clear(): QueueEntry[] {
    this.joined = null;
    this.waitedFor.clear();
    return this.items.splice(0, this.items.length);
  }

  /** The `queue list --json` rows of the first `limit` items (all by default), comma-joined. */
  json(limit?: number): string {
    if (limit !== undefined && limit < this.items.length) {
      return this.items
        .slice(0, limit)
        .map((entry) => entry.listJson())
        .join(',');
    }
    this.joined ??= this.items.map((entry) => entry.listJson()).join(',');
    return this.joined;
  }

  /** {@link json} as UTF-8, kept like the text while the items do not change. */
  jsonBytes(limit?: number): Buffer {
    if (limit !== undefined && limit < this.items.length) return Buffer.from(this.json(limit));
    const text = this.json();
    // Kept for the text it was made of: any change to the items makes a new text, and new bytes.
    if (this.encoded?.text !== text) this.encoded = { text, bytes: Buffer.from(text) };
    return this.encoded.bytes;
  }
}
