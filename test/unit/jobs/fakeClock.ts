/** A clock whose time moves only when a test says so, firing its timers in order. */
import type { TimerClock } from '../../../agent/jobs/timerQueue';

export class FakeClock implements TimerClock {
  time = 1_000_000;
  readonly timers = new Map<number, { at: number; callback: () => void }>();
  private next = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as number);
  /** Moves time on, firing timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}
