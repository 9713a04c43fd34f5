/**
 * The agent's recent values per series (protocol/stats.ts): a bounded ring per
 * series holding the last `windowMs`, fed by the parts through `StatsSink`
 * (their AgentContext's `stats`). Recording a point is a map look-up and two
 * array writes; while someone listens, the point is also kept for the next
 * batch (`takeBatch`), which the pusher sends about once a second. The
 * recorder names no part: a series is a metric, a subject and a label.
 */
import {
  statsSeriesId,
  type StatsBatch,
  type StatsPoints,
  type StatsSeriesDetails,
  type StatsSeriesInfo,
  type StatsSeriesKey,
} from '../../protocol/stats';
import { PointRing } from './ring';

/** What a part may record: points of its series, the end of a series' subject, resource samples. */
export interface StatsSink {
  /** One value of a series, at `at` (ms since epoch; default now). `details` set or change its unit and thresholds. */
  record(key: StatsSeriesKey, value: number, details?: StatsSeriesDetails, at?: number): void;
  /** The series' subject is gone (a task ended): its points stay until they age out. */
  end(key: StatsSeriesKey, at?: number): void;
  /** CPU (% of one core) and resident memory of a process tree: the `cpu` and `memory` series of `subject`. */
  recordResources(subject: string, usage: ResourceUsage, at?: number): void;
}

export interface ResourceUsage {
  readonly cpuPercent: number;
  readonly memoryBytes: number;
}

export interface StatsRecorderOptions {
  /** How long points are kept (ms). */
  readonly windowMs: number;
  /** Points kept per series at most (a series fed faster than capacity/window keeps less time). */
  readonly capacity: number;
  readonly now: () => number;
}

interface LiveSeries {
  info: StatsSeriesInfo;
  readonly ring: PointRing;
}

/** 15 minutes, at most one point a second per series on average. */
export const DEFAULT_STATS_OPTIONS: StatsRecorderOptions = { windowMs: 15 * 60_000, capacity: 900, now: Date.now };

export class StatsRecorder implements StatsSink {
  private readonly series = new Map<string, LiveSeries>();
  /** Points since the last batch, per series id (only while collecting). */
  private readonly pending = new Map<string, { t: number[]; v: number[] }>();
  /** Series new or changed since the last batch. */
  private readonly changed = new Set<string>();
  private collecting = false;
  private lastSweep = 0;

  constructor(private readonly options: StatsRecorderOptions = DEFAULT_STATS_OPTIONS) {}

  /** Keeps points for batches while someone listens; otherwise drops what was pending. */
  setCollecting(collecting: boolean): void {
    this.collecting = collecting;
    if (!collecting) {
      this.pending.clear();
      this.changed.clear();
    }
  }

  record(key: StatsSeriesKey, value: number, details?: StatsSeriesDetails, at = this.options.now()): void {
    if (!Number.isFinite(value)) return;
    const live = this.seriesFor(key, at);
    if (details && !sameDetails(live.info, details)) {
      const { title, unit, warn, crit } = live.info;
      live.info = {
        ...live.info,
        title: details.title ?? title,
        unit: details.unit ?? unit,
        warn: details.warn ?? warn,
        crit: details.crit ?? crit,
      };
      if (this.collecting) this.changed.add(live.info.id);
    }
    if (live.info.endedAt !== null) {
      live.info = { ...live.info, endedAt: null };
      if (this.collecting) this.changed.add(live.info.id);
    }
    // Points stay in time order: a late one (a clock step back) is moved to the newest time.
    const time = Math.max(at, live.ring.lastTime ?? at);
    live.ring.push(time, value);
    if (!this.collecting) return;
    let points = this.pending.get(live.info.id);
    if (!points) this.pending.set(live.info.id, (points = { t: [], v: [] }));
    points.t.push(time);
    points.v.push(value);
  }

  end(key: StatsSeriesKey, at = this.options.now()): void {
    const live = this.series.get(statsSeriesId(key));
    if (!live || live.info.endedAt !== null) return;
    live.info = { ...live.info, endedAt: at };
    if (this.collecting) this.changed.add(live.info.id);
  }

  recordResources(subject: string, usage: ResourceUsage, at = this.options.now()): void {
    this.record({ metric: 'cpu', subject }, usage.cpuPercent, CPU, at);
    this.record({ metric: 'memory', subject }, usage.memoryBytes, MEMORY, at);
  }

  /** Every series with its points at or after `since`. */
  read(since = 0): StatsBatch {
    const now = this.options.now();
    this.sweep(now);
    const series: StatsSeriesInfo[] = [];
    const points: StatsPoints[] = [];
    for (const live of this.series.values()) {
      series.push(live.info);
      const { t, v } = live.ring.since(since);
      if (t.length > 0) points.push({ id: live.info.id, t, v });
    }
    return { at: now, windowMs: this.options.windowMs, series, points };
  }

  /** The points and series changes since the last batch, or null when there are none. */
  takeBatch(): StatsBatch | null {
    if (this.pending.size === 0 && this.changed.size === 0) return null;
    const now = this.options.now();
    const series: StatsSeriesInfo[] = [];
    for (const id of new Set([...this.changed, ...this.pending.keys()])) {
      const live = this.series.get(id);
      if (live) series.push(live.info);
    }
    const points = [...this.pending].map(([id, { t, v }]) => ({ id, t, v }));
    this.pending.clear();
    this.changed.clear();
    return { at: now, windowMs: this.options.windowMs, series, points };
  }

  /** How many series are kept (for tests and the bench). */
  get size(): number {
    return this.series.size;
  }

  private seriesFor(key: StatsSeriesKey, at: number): LiveSeries {
    const id = statsSeriesId(key);
    const known = this.series.get(id);
    if (known) return known;
    // New subjects keep coming (task ids): now and then, forget the series whose points all aged out.
    if (at - this.lastSweep > this.options.windowMs / 10) this.sweep(at);
    const info: StatsSeriesInfo = {
      metric: key.metric,
      subject: key.subject,
      ...(key.label === undefined ? {} : { label: key.label }),
      id,
      title: key.label === undefined ? key.subject : `${key.subject} ${key.label}`,
      unit: null,
      warn: null,
      crit: null,
      endedAt: null,
    };
    const live = { info, ring: new PointRing(this.options.capacity) };
    this.series.set(id, live);
    if (this.collecting) this.changed.add(id);
    return live;
  }

  /** Drops points older than the window, and the series left with none. */
  private sweep(now: number): void {
    this.lastSweep = now;
    const oldest = now - this.options.windowMs;
    for (const [id, live] of this.series) {
      live.ring.dropBefore(oldest);
      if (live.ring.length === 0 && !this.pending.has(id)) this.series.delete(id);
    }
  }
}

const CPU: StatsSeriesDetails = { unit: '%' };
const MEMORY: StatsSeriesDetails = { unit: 'B' };

function sameDetails(info: StatsSeriesInfo, details: StatsSeriesDetails): boolean {
  return (
    (details.title ?? info.title) === info.title &&
    (details.unit ?? info.unit) === info.unit &&
    (details.warn ?? info.warn) === info.warn &&
    (details.crit ?? info.crit) === info.crit
  );
}
