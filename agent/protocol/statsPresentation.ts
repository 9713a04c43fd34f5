/**
 * How a stats value reads for a person, per metric: `CRITICAL`, `running`,
 * `12.5 %`, `48.2 MB`, `3 restarts`, `1.2 s`. `taskwarden stats` and the
 * dashboard's legends call it.
 */
import { counted } from './counts';
import { formatDuration } from './durations';
import type { StatsSeriesInfo } from './stats';

export function statsValueText(series: Pick<StatsSeriesInfo, 'metric' | 'unit' | 'levels'>, value: number): string {
  switch (series.metric) {
    case 'checkState':
    case 'daemonState':
      return series.levels?.[value] ?? String(value);
    case 'crashLoop':
      return value === 1 ? 'entered' : 'left';
    case 'restart':
      return counted(value, 'restart');
    case 'memory':
      return `${(value / 1024 / 1024).toFixed(1)} MB`;
    case 'cpu':
    case 'taskProgress':
      return `${round(value)} %`;
    case 'roundDuration':
      return value < 1000 ? `${Math.round(value)} ms` : formatDuration(value);
    case 'queueDepth':
      return `${value} waiting`;
    case 'queueDone':
      return `${value} done`;
    case 'perf':
      return series.unit ? `${round(value)} ${series.unit}` : String(round(value));
    default: {
      const unknown: never = series.metric;
      return `${String(unknown)} ${value}`;
    }
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
