/**
 * The agent's recent values per series (protocol/stats.ts): a bounded ring per
 * series holding the last `windowMs`, fed by the parts through `StatsSink`
 * (their AgentContext's `stats`). Recording a point is a map look-up and two
 * array writes; while someone listens, the series also counts its points not
 * yet sent, which the next batch (`takeBatch`, sent by the pusher about once
 * a second) reads back from the ring. The
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
  /** Points recorded since the last batch (while collecting). */
  unsent: number;
  /** In `dirty`: has unsent points or a new or changed info. */
  dirty: boolean;
  /** Its info is new or changed since the last batch. */
  infoChanged: boolean;
}

/**
 * 15 minutes, and at most 300 points per series: a series fed every 3 s or
 * slower keeps the whole window, one fed every second its last 5 minutes (so
 * 1,000 every-second jobs hold about 5 MB, not 16).
 */
export const DEFAULT_STATS_OPTIONS: StatsRecorderOptions = { windowMs: 15 * 60_000, capacity: 300, now: Date.now };

export class StatsRecorder implements StatsSink {
  private readonly series = new Map<string, LiveSeries>();
  /** The series the next batch names (only while collecting). */
  private dirty: LiveSeries[] = [];
  private collecting = false;
  private lastSweep = 0;

  constructor(private readonly options: StatsRecorderOptions = DEFAULT_STATS_OPTIONS) {}

  /** Keeps points for batches while someone listens; otherwise drops what was pending. */
  setCollecting(collecting: boolean): void {
    this.collecting = collecting;
    if (!collecting) for (const live of this.dirty.splice(0)) settle(live);
  }

  record(key: StatsSeriesKey, value: number, details?: StatsSeriesDetails, at = this.options.now()): void {
    if (!Number.isFinite(value)) return;
    const live = this.seriesFor(key, at);
    if (details && !sameDetails(live.info, details)) {
      const { title, unit, warn, crit, levels } = live.info;
      live.info = {
        ...live.info,
        title: details.title ?? title,
        unit: details.unit ?? unit,
        warn: details.warn ?? warn,
        crit: details.crit ?? crit,
        levels: details.levels ?? levels,
      };
      this.markInfo(live);
    }
    if (live.info.endedAt !== null) {
      live.info = { ...live.info, endedAt: null };
      this.markInfo(live);
    }
    // Points stay in time order: a late one (a clock step back) is moved to the newest time.
    live.ring.push(Math.max(at, live.ring.lastTime ?? at), value);
    if (!this.collecting) return;
    live.unsent += 1;
    this.markDirty(live);
  }

  end(key: StatsSeriesKey, at = this.options.now()): void {
    const live = this.series.get(statsSeriesId(key));
    if (!live || live.info.endedAt !== null) return;
    live.info = { ...live.info, endedAt: at };
    this.markInfo(live);
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

  /**
   * The points recorded since the last batch, and the series that are new or
   * changed since (a client knows the others from its snapshot), or null when
   * there are none.
   */
  takeBatch(): StatsBatch | null {
    if (this.dirty.length === 0) return null;
    const series: StatsSeriesInfo[] = [];
    const points: StatsPoints[] = [];
    for (const live of this.dirty) {
      if (live.infoChanged) series.push(live.info);
      if (live.unsent > 0) points.push({ id: live.info.id, ...live.ring.last(live.unsent) });
      settle(live);
    }
    this.dirty = [];
    return { at: this.options.now(), windowMs: this.options.windowMs, series, points };
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
      levels: null,
      endedAt: null,
    };
    const live: LiveSeries = { info, ring: new PointRing(this.options.capacity), unsent: 0, dirty: false, infoChanged: false };
    this.series.set(id, live);
    this.markInfo(live);
    return live;
  }

  private markInfo(live: LiveSeries): void {
    if (!this.collecting) return;
    live.infoChanged = true;
    this.markDirty(live);
  }

  private markDirty(live: LiveSeries): void {
    if (live.dirty) return;
    live.dirty = true;
    this.dirty.push(live);
  }

  /** Drops points older than the window, and the series left with none. */
  private sweep(now: number): void {
    this.lastSweep = now;
    const oldest = now - this.options.windowMs;
    for (const [id, live] of this.series) {
      live.ring.dropBefore(oldest);
      if (live.ring.length === 0 && !live.dirty) this.series.delete(id);
    }
  }
}

const CPU: StatsSeriesDetails = { unit: '%' };
const MEMORY: StatsSeriesDetails = { unit: 'B' };

function settle(live: LiveSeries): void {
  live.unsent = 0;
  live.dirty = false;
  live.infoChanged = false;
}

function sameDetails(info: StatsSeriesInfo, details: StatsSeriesDetails): boolean {
  return (
    (details.title ?? info.title) === info.title &&
    (details.unit ?? info.unit) === info.unit &&
    (details.warn ?? info.warn) === info.warn &&
    (details.crit ?? info.crit) === info.crit &&
    (details.levels ?? info.levels) === info.levels
  );
}
