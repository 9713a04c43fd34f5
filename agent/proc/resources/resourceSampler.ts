/**
 * CPU % and resident memory of every supervised process tree (a run's process
 * and its descendants), sampled only while someone needs them: a client that
 * watches (`taskwarden/resources/watch`) or a daemon with `limits`. Each
 * holds a demand; with none, no timer runs and nothing is kept.
 *
 * Runs are tracked by `SupervisedRun` itself (every part's processes, by their
 * mark `<part>:<id>`), so no part registers anything. One reading of the whole
 * process table per period serves every tree (procTable.ts, treeUsage.ts).
 * When sampling starts, a second sample follows after WARMUP_MS, so a CPU
 * figure (a difference of two readings) exists half a second after the first
 * demand (what `taskwarden ps` waits for).
 *
 * Listeners (`onSample`) get every sample: the daemons' limits, the agent's
 * resources notification, and a dashboard's plots.
 */
import type { ProcessIdentity } from '../processIdentity';
import type { MarkedRun } from '../workspaceMarker';
import { readProcTable, type ProcTable } from './procTable';
import { CLOCK_TICKS_PER_SECOND, systemPageSize } from './systemUnits';
import { childrenOf, treeUsage } from './treeUsage';

/**
 * 2 s: one pass over /proc for 50 daemons costs ~3 ms of CPU on a busy 2-core
 * machine with ~190 processes (0.16 % of a core at this period), and the agent
 * watched costs ~0.27 % of a core more than unwatched; the bench
 * (`BENCH_SCENARIOS=resources`) measures both against the 0.5 % target.
 */
export const SAMPLE_PERIOD_MS = 2000;
/** The second sample after sampling starts, so that CPU % is known soon. */
export const WARMUP_MS = 500;

/** One run's figures at one sample. */
export interface RunSample {
  /** The part and its run id, as the run's mark names it (`daemons`, `web:0`). */
  readonly part: string;
  readonly id: string;
  readonly pid: number;
  /** CPU of the whole tree since the previous sample, in % of one core (may exceed 100); null at a run's first sample. */
  readonly cpuPercent: number | null;
  /** Resident memory of the whole tree, in bytes. */
  readonly memoryBytes: number;
  /** Processes in the tree. */
  readonly processes: number;
  /** When the table was read (ms since epoch). */
  readonly at: number;
}

export type SampleListener = (samples: readonly RunSample[]) => void;

/** A holder's claim on sampling: `ready` settles once CPU figures exist; `release` ends the claim (once). */
export interface SamplingDemand {
  readonly ready: Promise<void>;
  release(): void;
}

export interface SamplerOptions {
  readonly periodMs?: number;
  readonly warmupMs?: number;
  readonly readTable?: () => ProcTable;
  readonly now?: () => number;
  readonly pageSize?: number;
}

interface Tracked {
  readonly run: MarkedRun;
  readonly identity: ProcessIdentity;
}

interface Previous {
  readonly startTime: number;
  readonly pid: number;
  readonly cpuTicks: number;
  readonly at: number;
}

export function runKey(part: string, id: string): string {
  return `${part}:${id}`;
}

export class ResourceSampler {
  private readonly runs = new Map<string, Tracked>();
  private readonly previous = new Map<string, Previous>();
  private readonly latestByRun = new Map<string, RunSample>();
  private readonly listeners = new Set<SampleListener>();
  private demands = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiting: (() => void)[] = [];
  private hasFigures = false;
  private readingsSinceBegin = 0;
  private samplesTaken = 0;
  private readonly periodMs: number;
  private readonly warmupMs: number;
  private readonly readTable: () => ProcTable;
  private readonly now: () => number;
  private readonly pageSize: number;

  constructor(options: SamplerOptions = {}) {
    this.periodMs = options.periodMs ?? SAMPLE_PERIOD_MS;
    this.warmupMs = options.warmupMs ?? WARMUP_MS;
    this.readTable = options.readTable ?? (() => readProcTable());
    this.now = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? systemPageSize();
  }

  /** Starts counting a run's tree; the returned function stops it (a later run under the same mark is left alone). */
  track(run: MarkedRun, identity: ProcessIdentity): () => void {
    const key = runKey(run.part, run.id);
    const tracked: Tracked = { run, identity };
    this.runs.set(key, tracked);
    return () => {
      if (this.runs.get(key) !== tracked) return;
      this.runs.delete(key);
      this.latestByRun.delete(key);
      this.previous.delete(key);
    };
  }

  /** Asks for sampling until released. The first demand takes a sample at once, the next one WARMUP_MS later. */
  demand(): SamplingDemand {
    this.demands += 1;
    if (this.demands === 1) this.begin();
    let released = false;
    const ready = this.hasFigures ? Promise.resolve() : new Promise<void>((resolve) => this.waiting.push(resolve));
    return {
      ready,
      release: () => {
        if (released) return;
        released = true;
        this.demands -= 1;
        if (this.demands === 0) this.end();
      },
    };
  }

  /** Whether sampling runs (someone holds a demand). */
  get active(): boolean {
    return this.demands > 0;
  }

  /** Readings taken since this sampler was made (the bench counts them). */
  get readings(): number {
    return this.samplesTaken;
  }

  /** The run's figures at the last sample, while sampling runs; else null. */
  latest(part: string, id: string): RunSample | null {
    return this.latestByRun.get(runKey(part, id)) ?? null;
  }

  /** Told of every sample (all tracked runs at once); returns the unsubscribe. */
  onSample(listener: SampleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private begin(): void {
    this.sample();
    this.schedule(this.warmupMs);
  }

  private end(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.hasFigures = false;
    this.readingsSinceBegin = 0;
    this.previous.clear();
    this.latestByRun.clear();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.sample();
      if (this.demands > 0) this.schedule(this.periodMs);
    }, delayMs);
    this.timer.unref();
  }

  /** Reads the table once and works out every tracked run's figures (called by the timer; the bench calls it too). */
  sample(): readonly RunSample[] {
    const table = this.readTable();
    const at = this.now();
    this.samplesTaken += 1;
    const children = childrenOf(table);
    const samples: RunSample[] = [];
    for (const [key, { run, identity }] of this.runs) {
      const usage = treeUsage(table, children, identity);
      if (!usage) continue;
      const before = this.previous.get(key);
      const comparable = before !== undefined && before.pid === identity.pid && before.startTime === identity.startTime && at > before.at;
      const cpuPercent = comparable
        ? (Math.max(0, usage.cpuTicks - before.cpuTicks) / CLOCK_TICKS_PER_SECOND / ((at - before.at) / 1000)) * 100
        : null;
      this.previous.set(key, { pid: identity.pid, startTime: identity.startTime, cpuTicks: usage.cpuTicks, at });
      const sample: RunSample = {
        part: run.part,
        id: run.id,
        pid: identity.pid,
        cpuPercent: cpuPercent === null ? null : Math.round(cpuPercent * 10) / 10,
        memoryBytes: usage.rssPages * this.pageSize,
        processes: usage.processes,
        at,
      };
      this.latestByRun.set(key, sample);
      samples.push(sample);
    }
    // The second reading since sampling began gives CPU figures to every run the first one saw.
    this.readingsSinceBegin += 1;
    if (this.readingsSinceBegin >= 2) this.figuresKnown();
    for (const listener of this.listeners) listener(samples);
    return samples;
  }

  private figuresKnown(): void {
    this.hasFigures = true;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

let shared: ResourceSampler | null = null;

/** The agent's one sampler, which every SupervisedRun reports to. */
export function sharedResourceSampler(): ResourceSampler {
  shared ??= new ResourceSampler();
  return shared;
}
