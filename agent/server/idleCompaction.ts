/**
 * Gives memory back once a burst of work is over. After a reload of a large
 * config or a round of starts the agent's heap has grown, and V8's own memory
 * reducer only runs when a later garbage collection happens to start it: on a
 * quiet agent that can be never (measured: 77 MB after ten start/stop rounds of
 * 50 daemons, still 68 MB 100 s later, against 58 MB for the same daemons
 * without the rounds). So: every interval, if the event loop was almost idle
 * and the resident size is well above what it was after the last compaction,
 * run one memory-reducing full collection (V8's `gc` with the "last resort"
 * flavour; needs `--expose-gc`, see AGENT_NODE_FLAGS). A busy agent is never
 * interrupted, and an idle one is compacted once per burst, not repeatedly.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

export interface IdleCompactionOptions {
  readonly intervalMs?: number;
  /** Resident growth since the last compaction that is worth a collection. */
  readonly growthBytes?: number;
  /** Event-loop utilization below which the agent counts as idle. */
  readonly idleUtilization?: number;
  /** Defaults: the process's resident size, and V8's `gc` (present only with `--expose-gc`). */
  readonly residentBytes?: () => number;
  readonly gc?: GcFunction;
  /** Told the resident size before and after each compaction (for the agent log). */
  readonly compacted?: (beforeBytes: number, afterBytes: number) => void;
}

/** Starts the check; returns a function that stops it. Does nothing without `--expose-gc`. */
export function startIdleCompaction(options: IdleCompactionOptions = {}): () => void {
  const gc = options.gc ?? (globalThis as { gc?: GcFunction }).gc;
  if (typeof gc !== 'function') return () => undefined;
  const residentBytes = options.residentBytes ?? (() => process.memoryUsage.rss());
  const growthBytes = options.growthBytes ?? 4 * 1024 * 1024;
  const idleUtilization = options.idleUtilization ?? 0.01;
  let baseline = residentBytes();
  let lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const utilization = performance.eventLoopUtilization(lastUtilization);
    lastUtilization = performance.eventLoopUtilization();
    const resident = residentBytes();
    if (utilization.utilization > idleUtilization) return;
    if (resident < baseline + growthBytes) {
      // Shrunk by itself (V8's reducer did run): remember the lower level.
      baseline = Math.min(baseline, resident);
      return;
    }
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    baseline = residentBytes();
    options.compacted?.(resident, baseline);
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return () => clearInterval(timer);
}
