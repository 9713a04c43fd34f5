/**
 * A daemon's `limits` applied to its samples: memory over the limit at one
 * sample, or CPU over the limit at every sample for the time the limit names.
 * Pure; the time is each sample's own (`at`), so tests feed samples with any
 * clock. One watch per run: a restarted daemon starts over.
 */
import { formatBytes, formatCpu } from '../protocol/resourcePresentation';
import type { ResourceLimits } from './config/spec';

export interface LimitSample {
  readonly cpuPercent: number | null;
  readonly memoryBytes: number;
  readonly at: number;
}

export class LimitWatch {
  /** When the CPU went over the limit (the first sample over it), while it stays over. */
  private cpuOverSince: number | null = null;

  constructor(private readonly limits: ResourceLimits) {}

  /** Feeds one sample; returns why the daemon must restart ("memory 530 MB > 512 MB"), or null. */
  observe(sample: LimitSample): string | null {
    const { memoryBytes, cpu } = this.limits;
    if (memoryBytes !== null && sample.memoryBytes > memoryBytes)
      return `memory ${formatBytes(sample.memoryBytes)} > ${formatBytes(memoryBytes)}`;
    if (cpu === null || sample.cpuPercent === null) return null;
    if (sample.cpuPercent <= cpu.percent) {
      this.cpuOverSince = null;
      return null;
    }
    this.cpuOverSince ??= sample.at;
    if (sample.at - this.cpuOverSince < cpu.forMs) return null;
    const lasting = cpu.forMs > 0 ? ` for ${cpu.forMs / 1000} s` : '';
    return `cpu ${formatCpu(sample.cpuPercent)} > ${formatCpu(cpu.percent)}${lasting}`;
  }
}
