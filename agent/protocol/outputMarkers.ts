/**
 * The one wording of what `taskwarden logs` and the editor's output show
 * besides the output itself: a line's time (`--timestamps`) and the marked
 * line at a restart ("──── restarted 14:03:12 (exit 1) ────"). Local time,
 * as the user's clock reads.
 */
import type { OutputMarker } from './output';

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** "14:03:12" */
export function formatClock(ms: number): string {
  const date = new Date(ms);
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}

/** "2026-12-05 14:03:12.345": the prefix of a line with --timestamps. */
export function formatLineTime(ms: number): string {
  const date = new Date(ms);
  const day = `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}`;
  return `${day} ${formatClock(ms)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** "──── restarted 14:03:12 (exit 1) ────" */
export function markerText(marker: OutputMarker): string {
  const exit = marker.previousExit === null ? '' : ` (${marker.previousExit})`;
  return `──── restarted ${formatClock(marker.at)}${exit} ────`;
}
