/**
 * A bounded ring of (time, value) points: the newest `capacity` points, in
 * time order, in two typed arrays (no object per point). The arrays start
 * small and double up to `capacity`, so a series with few points costs little.
 * Old points also go once they fall out of the recorder's window (`dropBefore`).
 */
const INITIAL_SIZE = 16;

export class PointRing {
  private times: Float64Array;
  private values: Float64Array;
  /** Index of the oldest point. */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    const size = Math.min(capacity, INITIAL_SIZE);
    this.times = new Float64Array(size);
    this.values = new Float64Array(size);
  }

  get length(): number {
    return this.count;
  }

  /** The newest point's time, or null when empty. */
  get lastTime(): number | null {
    return this.count === 0 ? null : this.times[(this.head + this.count - 1) % this.times.length]!;
  }

  /** Appends a point; the oldest goes when the ring holds `capacity` points. */
  push(time: number, value: number): void {
    if (this.count === this.times.length && this.times.length < this.capacity) this.grow();
    const size = this.times.length;
    const index = (this.head + this.count) % size;
    this.times[index] = time;
    this.values[index] = value;
    if (this.count < size) this.count += 1;
    else this.head = (this.head + 1) % size;
  }

  /** Forgets the points older than `time`. */
  dropBefore(time: number): void {
    while (this.count > 0 && this.times[this.head]! < time) {
      this.head = (this.head + 1) % this.times.length;
      this.count -= 1;
    }
  }

  /** The points at or after `since`, oldest first, as two arrays. */
  since(since: number): { t: number[]; v: number[] } {
    const t: number[] = [];
    const v: number[] = [];
    for (let offset = 0; offset < this.count; offset++) {
      const index = (this.head + offset) % this.times.length;
      const time = this.times[index]!;
      if (time < since) continue;
      t.push(time);
      v.push(this.values[index]!);
    }
    return { t, v };
  }

  /** The newest `count` points (fewer when it holds fewer), oldest first. */
  last(count: number): { t: number[]; v: number[] } {
    const take = Math.min(count, this.count);
    const t = new Array<number>(take);
    const v = new Array<number>(take);
    for (let offset = 0; offset < take; offset++) {
      const index = (this.head + this.count - take + offset) % this.times.length;
      t[offset] = this.times[index]!;
      v[offset] = this.values[index]!;
    }
    return { t, v };
  }

  /** Doubles the arrays (up to capacity), oldest point first. */
  private grow(): void {
    const size = Math.min(this.capacity, this.times.length * 2);
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    for (let offset = 0; offset < this.count; offset++) {
      const index = (this.head + offset) % this.times.length;
      times[offset] = this.times[index]!;
      values[offset] = this.values[index]!;
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}
