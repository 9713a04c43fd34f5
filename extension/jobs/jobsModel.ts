/**
 * What the Jobs view and the lens clock show, kept in step with the agent:
 * every job's summary, and the recent check events of the jobs whose events
 * were asked for (a job row expanded), newest first. On connect it reads the
 * list; then it follows the `jobs` deltas without asking again: `jobs`
 * replaces those summaries, `jobsRemoved` drops jobs, `events` puts the new
 * events in front of the ones already read. Events are read a page at a time
 * from the newest ("Show more" reads one page more), and a page's worth is
 * all that is kept, so a job firing every second never grows the model.
 * Only type imports from 'vscode'.
 */
import { JobEventsRequest, ListJobsRequest, type CheckEvent, type JobsDelta, type JobSummary } from '../../agent/jobs/protocol';
import type { AgentApi } from '../shared/agentApi';
import { PartModel } from '../shared/partModel';
import { CoalescedReads } from '../shared/coalescedReads';

/** Events per page (the first read and each "Show more"). */
export const JOB_EVENTS_PAGE = 10;
/** The agent's limit on one events read. */
const MAX_EVENTS = 1000;

/** The events of one job as far as they were read. */
export interface JobEvents {
  /** Newest first. */
  readonly events: readonly CheckEvent[];
  /** Whether older events than these are stored. */
  readonly more: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Narrows a StateChanged delta of the `jobs` topic; anything else is null (and answered by a whole read). */
export function asJobsDelta(value: unknown): JobsDelta | null {
  if (!isRecord(value)) return null;
  switch (value['kind']) {
    case 'jobs':
      return Array.isArray(value['jobs']) ? (value as JobsDelta) : null;
    case 'jobsRemoved':
      return Array.isArray(value['names']) ? (value as JobsDelta) : null;
    case 'events':
      return Array.isArray(value['events']) ? (value as JobsDelta) : null;
    default:
      return null;
  }
}

/** Newest first, without the events `known` already has (a run ends once: its job and end time name it). */
export function mergeEvents(fresh: readonly CheckEvent[], known: readonly CheckEvent[]): CheckEvent[] {
  const seen = new Set(known.map((event) => event.timestamp));
  const added = fresh.filter((event) => !seen.has(event.timestamp));
  return [...added, ...known].sort((a, b) => b.timestamp - a.timestamp);
}

export class JobsModel extends PartModel {
  jobs: readonly JobSummary[] = [];
  /** The events read so far, by job. */
  readonly events = new Map<string, JobEvents>();
  loaded = false;
  /** Agent clock minus ours, from the last list. */
  private skew = 0;
  /** Pages of events asked for per job (grows with "Show more"). */
  private readonly pages = new Map<string, number>();
  private readonly eventReads = new Map<string, Promise<void>>();
  /** Events pushed for a job whose first page is on its way (the answer may predate them). */
  private readonly arrivedMeanwhile = new Map<string, CheckEvent[]>();
  private readonly reads = new CoalescedReads(() => this.read());

  constructor(
    private readonly agent: AgentApi,
    private readonly onError: (message: string) => void,
  ) {
    super();
    this.disposables.push(
      agent.onPartChanged('jobs', (delta) => this.applyDelta(delta)),
      agent.onDidChangeState(() => void this.refresh()),
    );
    void this.refresh();
  }

  job(name: string): JobSummary | undefined {
    return this.jobs.find((job) => job.name === name);
  }

  /** The agent's clock now, as well as we know it. */
  agentNow(): number {
    return Date.now() + this.skew;
  }

  /** Reads the list again (and the events already shown); resolves once the model holds the agent's state as of this call. */
  refresh(): Promise<void> {
    return this.reads.run();
  }

  /** Reads a job's recent events if they were not read yet (a job row expanded). */
  loadEvents(name: string): Promise<void> {
    if (this.events.has(name)) return Promise.resolve();
    return this.eventReads.get(name) ?? this.readEvents(name);
  }

  /** Reads one more page of a job's events. */
  showMore(name: string): Promise<void> {
    this.pages.set(name, (this.pages.get(name) ?? 1) + 1);
    return this.readEvents(name);
  }

  /** Reads a job's events as far as they are shown (after the read on its way, which may have asked for fewer). */
  private readEvents(name: string): Promise<void> {
    const inFlight = this.eventReads.get(name);
    if (inFlight) return inFlight.then(() => this.readEvents(name));
    const read = this.readEventsOf(name).finally(() => this.eventReads.delete(name));
    this.eventReads.set(name, read);
    return read;
  }

  private async readEventsOf(name: string): Promise<void> {
    if (this.agent.state.kind !== 'running') return;
    const limit = Math.min(MAX_EVENTS, this.shown(name));
    try {
      const page = await this.agent.request(JobEventsRequest.type, { name, limit });
      // Events pushed while the read was on its way are kept: merged, not replaced.
      const known = this.events.get(name)?.events ?? this.arrivedMeanwhile.get(name) ?? [];
      this.arrivedMeanwhile.delete(name);
      const merged = mergeEvents(page.events, known);
      this.events.set(name, { events: merged.slice(0, limit), more: page.nextCursor !== null || merged.length > limit });
      this.emit();
    } catch (error: unknown) {
      this.onError(`Taskwarden could not read the events of job ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** How many events of a job are shown. */
  private shown(name: string): number {
    return (this.pages.get(name) ?? 1) * JOB_EVENTS_PAGE;
  }

  private applyDelta(value: unknown): void {
    if (!this.loaded) {
      // The first read is on its way and may predate this change: read once more after it.
      if (this.reads.busy) void this.reads.run();
      return;
    }
    const delta = asJobsDelta(value);
    switch (delta?.kind) {
      case 'jobs':
        this.replace(delta.jobs);
        break;
      case 'jobsRemoved':
        this.remove(delta.names);
        break;
      case 'events':
        this.addEvents(delta.events);
        break;
      case undefined:
        void this.refresh();
        return;
    }
    this.emit();
  }

  private addEvents(events: readonly CheckEvent[]): void {
    for (const event of events) {
      const known = this.events.get(event.resource);
      if (!known) {
        if (this.eventReads.has(event.resource))
          this.arrivedMeanwhile.set(event.resource, [event, ...(this.arrivedMeanwhile.get(event.resource) ?? [])]);
        continue;
      }
      const merged = mergeEvents([event], known.events);
      const shown = this.shown(event.resource);
      this.events.set(event.resource, { events: merged.slice(0, shown), more: known.more || merged.length > shown });
    }
  }

  /**
   * Replaces these summaries by name, in one pass (a delta may name thousands of jobs). A new job
   * (a config edit) shows at the end at once, and the list is read again for its place in the config.
   */
  private replace(jobs: readonly JobSummary[]): void {
    const fresh = new Map(jobs.map((job) => [job.name, job]));
    const kept = this.jobs.map((job) => {
      const replaced = fresh.get(job.name);
      fresh.delete(job.name);
      return replaced ?? job;
    });
    this.jobs = fresh.size === 0 ? kept : [...kept, ...fresh.values()];
    if (fresh.size > 0) void this.refresh();
  }

  private remove(names: readonly string[]): void {
    const removed = new Set(names);
    this.jobs = this.jobs.filter((job) => !removed.has(job.name));
    for (const name of removed) this.forget(name);
  }

  private forget(name: string): void {
    this.events.delete(name);
    this.arrivedMeanwhile.delete(name);
    this.pages.delete(name);
  }

  private async read(): Promise<void> {
    if (this.agent.state.kind !== 'running') {
      if (this.loaded) {
        this.loaded = false;
        this.jobs = [];
        this.events.clear();
        this.emit();
      }
      return;
    }
    try {
      const list = await this.agent.request(ListJobsRequest.type, {});
      this.skew = list.now - Date.now();
      // The agent lists the jobs in config order, the view's default order.
      this.jobs = list.jobs;
      for (const name of [...this.events.keys()]) if (!this.job(name)) this.forget(name);
      this.loaded = true;
      this.emit();
      // Events shown before (a reconnect): read them again, a restarted agent may have new ones.
      await Promise.all([...this.events.keys()].map((name) => this.readEvents(name)));
    } catch (error: unknown) {
      this.onError(`Taskwarden could not read the jobs: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
