/**
 * The agent's own CPU and resident memory, sampled every few seconds into the
 * stats (`cpu`/`memory` of subject `agent`). Supervised processes get theirs
 * from a /proc sampler through the same `recordResources` seam.
 */
import type { StatsSink } from '../core/stats/statsRecorder';

const SAMPLE_EVERY_MS = 5000;

/** Starts sampling; returns the stop. */
export function sampleAgentResources(stats: StatsSink, everyMs = SAMPLE_EVERY_MS): () => void {
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const cpu = process.cpuUsage();
    const at = performance.now();
    const usedMicros = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
    const cpuPercent = at > lastAt ? usedMicros / 10 / (at - lastAt) : 0;
    lastCpu = cpu;
    lastAt = at;
    stats.recordResources('agent', { cpuPercent, memoryBytes: process.memoryUsage.rss() });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
