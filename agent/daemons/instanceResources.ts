/**
 * One daemon instance's side of resource sampling: its figures for its info
 * (the sampler's last sample of its run), whether a sample changed their
 * wording (only then is the instance published again), and its `limits`: a
 * sampling demand held while a limited process runs and the rule that says
 * when it is over (resourceLimits.ts).
 */
import { sharedResourceSampler, type RunSample, type SamplingDemand } from '../proc/resources/resourceSampler';
import { resourcesLine } from '../protocol/resourcePresentation';
import type { ResourceLimits } from './config/spec';
import { LimitWatch } from './resourceLimits';

export class InstanceResources {
  private limits: { readonly watch: LimitWatch; readonly demand: SamplingDemand } | null = null;
  /** The figures as last published ("CPU 0.0%, MEM 4.9 MB"). */
  private shown = '';

  constructor(private readonly id: string) {}

  /** The run's figures at the last sample, while the agent samples. */
  figures(): { readonly cpuPercent: number | null; readonly memoryBytes: number } | null {
    const sample = sharedResourceSampler().latest('daemons', this.id);
    return sample ? { cpuPercent: sample.cpuPercent, memoryBytes: sample.memoryBytes } : null;
  }

  /** A process with these limits runs now (null: none runs, or no limits): a new watch, so the CPU window starts over. */
  watch(limits: ResourceLimits | null): void {
    this.limits?.demand.release();
    this.limits = limits ? { watch: new LimitWatch(limits), demand: sharedResourceSampler().demand() } : null;
  }

  /** Takes a sample of the running process: whether its wording changed, and why it is over its limits (or null). */
  sampled(sample: RunSample): { readonly changed: boolean; readonly breach: string | null } {
    const shown = resourcesLine(sample) ?? '';
    const changed = shown !== this.shown;
    this.shown = shown;
    return { changed, breach: this.limits?.watch.observe(sample) ?? null };
  }
}
