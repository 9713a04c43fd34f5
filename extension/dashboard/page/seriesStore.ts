/// <reference lib="dom" />
/**
 * The page's copy of the agent's stats: a snapshot replaces it, a batch adds
 * its points (dropping any at or before a series' newest, so a batch that
 * overlaps the snapshot adds nothing twice), and points older than the
 * agent's window go.
 */
import type { StatsBatch, StatsMetric, StatsSeriesInfo } from '../../../agent/protocol/stats';

export interface PageSeries {
  info: StatsSeriesInfo;
  readonly t: number[];
  readonly v: number[];
}

export class SeriesStore {
  private readonly series = new Map<string, PageSeries>();
  /** The agent's clock at the last message, and how far back it keeps points. */
  now = 0;
  windowMs = 15 * 60_000;

  apply(kind: 'snapshot' | 'points', batch: StatsBatch): void {
    if (kind === 'snapshot') this.series.clear();
    this.now = batch.at;
    this.windowMs = batch.windowMs;
    for (const info of batch.series) {
      const known = this.series.get(info.id);
      if (known) known.info = info;
      else this.series.set(info.id, { info, t: [], v: [] });
    }
    for (const points of batch.points) {
      const series = this.series.get(points.id);
      if (!series) continue;
      const newest = series.t.at(-1) ?? -Infinity;
      points.t.forEach((time, index) => {
        if (time <= newest && kind === 'points') return;
        series.t.push(time);
        series.v.push(points.v[index]!);
      });
    }
    this.prune();
  }

  /** The series of one metric with at least one point, by title. */
  of(metric: StatsMetric): PageSeries[] {
    return [...this.series.values()]
      .filter((series) => series.info.metric === metric && series.t.length > 0)
      .sort((a, b) => a.info.title.localeCompare(b.info.title));
  }

  /** The oldest point kept, or null when there is none. */
  earliest(): number | null {
    let oldest: number | null = null;
    for (const series of this.series.values()) {
      const first = series.t[0];
      if (first !== undefined && (oldest === null || first < oldest)) oldest = first;
    }
    return oldest;
  }

  private prune(): void {
    const oldest = this.now - this.windowMs;
    for (const [id, series] of this.series) {
      const keep = series.t.findIndex((time) => time >= oldest);
      if (keep === -1) this.series.delete(id);
      else if (keep > 0) {
        series.t.splice(0, keep);
        series.v.splice(0, keep);
      }
    }
  }
}
