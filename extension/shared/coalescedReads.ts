/**
 * A model's reads of the agent, one at a time: a read asked for while one is
 * on its way becomes one more read after it, however many asks came
 * meanwhile (a burst of deltas costs two reads, not one each).
 */
export class CoalescedReads {
  private reading: Promise<void> | null = null;
  private followUp: Promise<void> | null = null;

  constructor(private readonly read: () => Promise<void>) {}

  /** Whether a read is on its way. */
  get busy(): boolean {
    return this.reading !== null;
  }

  /** Reads; resolves once a read that began after this call has ended. */
  run(): Promise<void> {
    if (!this.reading) return this.start();
    this.followUp ??= this.reading.then(() => {
      this.followUp = null;
      // Someone may have started one in between: it began after this call too.
      return this.reading ?? this.start();
    });
    return this.followUp;
  }

  private start(): Promise<void> {
    const reading = this.read().finally(() => {
      if (this.reading === reading) this.reading = null;
    });
    this.reading = reading;
    return reading;
  }
}
