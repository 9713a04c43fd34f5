/**
 * A queue's throughput from its finished count (`queueDone`): items finished
 * per minute in 10-second bins over the shown span, drawn in steps. Pure.
 */
import type { LineInput } from './lineChart';
import type { PageSeries } from './seriesStore';
import type { TimeSpan } from './timelines';

/** Bins of the throughput plot. */
export const THROUGHPUT_BIN_MS = 10_000;

/** The rises of the finished count in each bin, as items per minute; the line counts the series' points as its own. */
export function throughput(done: PageSeries, span: TimeSpan): LineInput {
  const start = Math.floor(span.from / THROUGHPUT_BIN_MS) * THROUGHPUT_BIN_MS;
  const t: number[] = [];
  for (let at = start; at <= span.to; at += THROUGHPUT_BIN_MS) t.push(at);
  const v = t.map(() => 0);
  for (let index = 1; index < done.t.length; index++) {
    const bin = Math.floor((done.t[index]! - start) / THROUGHPUT_BIN_MS);
    if (bin >= 0 && bin < v.length) v[bin]! += ((done.v[index]! - done.v[index - 1]!) * 60_000) / THROUGHPUT_BIN_MS;
  }
  return { label: done.info.title, t, v, stepped: true, sourcePoints: done.t.length };
}
