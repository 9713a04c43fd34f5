/**
 * Exact timers for many jobs: one timer, armed for the earliest due job (no
 * polling beat). Each job has at most one due time; setting it again replaces
 * it (the heap keeps stale entries and drops them when they surface). When
 * the timer fires, every job due by then is handed to `fire`, earliest first.
 * The clock and the timer functions are injected, so unit tests drive time.
 */

export interface TimerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: TimerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's largest delay; a later due time is reached in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/** A key that came due, and when it was due. */
export interface Fired {
  readonly key: string;
  readonly at: number;
}

interface Entry {
  readonly at: number;
  readonly key: string;
  readonly generation: number;
}

export class TimerQueue {
  private readonly heap: Entry[] = [];
  private readonly current = new Map<string, Entry>();
  private generation = 0;
  private timer: unknown = null;
  private armedFor: number | null = null;
  private firing = false;

  constructor(
    private readonly clock: TimerClock,
    private readonly fire: (due: readonly Fired[]) => void,
  ) {}

  /** Sets (or replaces) the due time of `key`; null removes it. */
  set(key: string, at: number | null): void {
    if (at === null) {
      this.current.delete(key);
      return;
    }
    const entry = { at, key, generation: ++this.generation };
    this.current.set(key, entry);
    this.push(entry);
    if (!this.firing && (this.armedFor === null || at < this.armedFor)) this.arm();
  }

  /** The due time of `key`, or null. */
  dueOf(key: string): number | null {
    return this.current.get(key)?.at ?? null;
  }

  get size(): number {
    return this.current.size;
  }

  /** Removes every due time and the timer. */
  clear(): void {
    this.current.clear();
    this.heap.length = 0;
    this.disarm();
  }

  private disarm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
  }

  private arm(): void {
    this.disarm();
    const head = this.peek();
    if (head === null) return;
    const delay = Math.min(MAX_DELAY, Math.max(0, head.at - this.clock.now()));
    this.armedFor = head.at;
    this.timer = this.clock.setTimeout(() => this.onTimer(), delay);
  }

  private onTimer(): void {
    this.timer = null;
    this.armedFor = null;
    this.firing = true;
    try {
      const now = this.clock.now();
      const due: Fired[] = [];
      for (let head = this.peek(); head !== null && head.at <= now; head = this.peek()) {
        this.pop();
        this.current.delete(head.key);
        due.push({ key: head.key, at: head.at });
      }
      if (due.length > 0) this.fire(due);
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  /** The earliest live entry, dropping stale ones above it. */
  private peek(): Entry | null {
    for (;;) {
      const head = this.heap[0];
      if (head === undefined) return null;
      if (this.current.get(head.key) === head) return head;
      this.pop();
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const child = heap[index]!;
      const above = heap[parent]!;
      if (!before(child, above)) break;
      // Swapped by hand: a destructuring swap allocates an array, and the agent runs without V8's optimizer.
      heap[index] = above;
      heap[parent] = child;
      index = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      const moved = heap[index]!;
      heap[index] = heap[smallest]!;
      heap[smallest] = moved;
      index = smallest;
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.generation < b.generation);
}
