/**
 * A bounded ring of (time, value) points: the newest `capacity` points, in
 * time order, in two typed arrays (no object per point). Old points also go
 * once they fall out of the recorder's window (`dropBefore`).
 */
export class PointRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  /** Index of the oldest point. */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** The newest point's time, or null when empty. */
  get lastTime(): number | null {
    return this.count === 0 ? null : this.times[(this.head + this.count - 1) % this.capacity]!;
  }

  /** Appends a point; the oldest goes when the ring is full. */
  push(time: number, value: number): void {
    const index = (this.head + this.count) % this.capacity;
    this.times[index] = time;
    this.values[index] = value;
    if (this.count < this.capacity) this.count += 1;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Forgets the points older than `time`. */
  dropBefore(time: number): void {
    while (this.count > 0 && this.times[this.head]! < time) {
      this.head = (this.head + 1) % this.capacity;
      this.count -= 1;
    }
  }

  /** The points at or after `since`, oldest first, as two arrays. */
  since(since: number): { t: number[]; v: number[] } {
    const t: number[] = [];
    const v: number[] = [];
    for (let offset = 0; offset < this.count; offset++) {
      const index = (this.head + offset) % this.capacity;
      const time = this.times[index]!;
      if (time < since) continue;
      t.push(time);
      v.push(this.values[index]!);
    }
    return { t, v };
  }
}
