/**
 * What the queues record in the stats, from the summaries they publish: each
 * queue's depth (items waiting) and its finished count (`queueDone`, whose
 * slope is the throughput), each only when it moved.
 */
import type { StatsSink } from '../core/stats/statsRecorder';
import type { QueueSummary } from './protocol';

export class QueueStatsFeed {
  private readonly last = new Map<string, { depth: number; done: number }>();

  constructor(private readonly stats: StatsSink) {}

  summaries(summaries: readonly QueueSummary[]): void {
    for (const summary of summaries) {
      const before = this.last.get(summary.name);
      const done = summary.done + summary.failed;
      if (before?.depth !== summary.queued) this.stats.record({ metric: 'queueDepth', subject: summary.name }, summary.queued);
      if (before?.done !== done) this.stats.record({ metric: 'queueDone', subject: summary.name }, done);
      this.last.set(summary.name, { depth: summary.queued, done });
    }
  }
}
