/**
 * Sends the recorder's new points to the subscribed clients in batches: one
 * notification per `intervalMs` at most, and none when nothing was recorded.
 * The timer runs only while someone listens; the recorder keeps no batch
 * otherwise.
 */
import type { StatsBatch } from '../../protocol/stats';
import type { StatsRecorder } from './statsRecorder';

/** Starts a repeating timer; returns its cancel. Injected so unit tests drive the ticks. */
export type Repeat = (tick: () => void, intervalMs: number) => () => void;

const realRepeat: Repeat = (tick, intervalMs) => {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};

export const STATS_PUSH_INTERVAL_MS = 1000;

export class StatsPusher {
  private cancel: (() => void) | null = null;

  constructor(
    private readonly recorder: StatsRecorder,
    private readonly send: (batch: StatsBatch) => void,
    private readonly intervalMs = STATS_PUSH_INTERVAL_MS,
    private readonly repeat: Repeat = realRepeat,
  ) {}

  /** Called when the number of listening clients changes. */
  setListening(listening: boolean): void {
    if (listening === (this.cancel !== null)) return;
    this.recorder.setCollecting(listening);
    if (listening) this.cancel = this.repeat(() => this.flush(), this.intervalMs);
    else {
      this.cancel?.();
      this.cancel = null;
    }
  }

  /** Sends what was recorded since the last batch, if anything. */
  flush(): void {
    const batch = this.recorder.takeBatch();
    if (batch) this.send(batch);
  }

  close(): void {
    this.setListening(false);
  }
}
