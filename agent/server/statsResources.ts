/**
 * The supervised processes' CPU and memory in the stats: every sample of the
 * /proc sampler goes through `recordResources`, named as a user writes the run
 * (`web:0`, `task:7`, `job:nightly`); while a client listens to the stats, this
 * holds a sampling demand so that samples come.
 */
import type { StatsSink } from '../core/stats/statsRecorder';
import type { ResourceSampler, SamplingDemand } from '../proc/resources/resourceSampler';

export class StatsResources {
  private demand: SamplingDemand | null = null;
  private readonly stopListening: () => void;

  constructor(
    private readonly sampler: ResourceSampler,
    stats: StatsSink,
    subjectOf: (part: string, id: string) => string,
  ) {
    this.stopListening = sampler.onSample((samples) => {
      for (const sample of samples) {
        // A run's first sample has no CPU figure yet (no previous reading).
        if (sample.cpuPercent === null) continue;
        const usage = { cpuPercent: sample.cpuPercent, memoryBytes: sample.memoryBytes };
        stats.recordResources(subjectOf(sample.part, sample.id), usage, sample.at);
      }
    });
  }

  /** Samples are wanted while a client listens to the stats. */
  setWanted(wanted: boolean): void {
    if (wanted && !this.demand) this.demand = this.sampler.demand();
    else if (!wanted && this.demand) {
      this.demand.release();
      this.demand = null;
    }
  }

  close(): void {
    this.setWanted(false);
    this.stopListening();
  }
}
