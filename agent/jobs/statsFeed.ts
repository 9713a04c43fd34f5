/**
 * What a job's run records in the stats: its verdict (`checkState`) and each
 * perf_data value (`perf`, labelled), with the level its warn and crit ranges
 * alert at, for the dashboard to draw as threshold lines.
 */
import type { StatsSink } from '../core/stats/statsRecorder';
import { CHECK_STATE_NAMES, type CheckEvent } from './protocol';

/** The names of a check state's values, 0 to 3, for the series. */
const CHECK_LEVELS: readonly string[] = [0, 1, 2, 3].map((state) => CHECK_STATE_NAMES[state as CheckEvent['state']]);

export function recordCheckEvent(stats: StatsSink, event: CheckEvent): void {
  const at = Math.round(event.timestamp * 1000);
  stats.record({ metric: 'checkState', subject: event.resource }, event.state, { levels: CHECK_LEVELS }, at);
  for (const datum of event.perf_data ?? []) {
    if (datum.value === null) continue;
    stats.record(
      { metric: 'perf', subject: event.resource, label: datum.label },
      datum.value,
      { unit: datum.uom === '' ? null : datum.uom, warn: thresholdLevel(datum.warn), crit: thresholdLevel(datum.crit) },
      at,
    );
  }
}

/**
 * The level to draw for a Nagios range (`10`, `10:`, `~:10`, `@10:20`): the
 * upper bound when it has one (`10`, `~:10`, `@10:20`), else the lower bound
 * (`10:`, alerting below it); null when there is none or it is not a number.
 */
export function thresholdLevel(range: string | null): number | null {
  if (range === null) return null;
  const text = range.startsWith('@') ? range.slice(1) : range;
  const colon = text.indexOf(':');
  const upper = colon === -1 ? text : text.slice(colon + 1);
  const lower = colon === -1 ? '' : text.slice(0, colon);
  const bound = upper !== '' ? upper : lower;
  if (bound === '' || bound === '~') return null;
  const value = Number(bound);
  return Number.isFinite(value) ? value : null;
}
