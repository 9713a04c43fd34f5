/**
 * The stats scenario (`node --import tsx bench/statsRecorder.ts`): what the
 * agent's stats recorder (agent/core/stats/) costs, in process, on the sizes
 * the other scenarios use (1,000 every-second jobs, 50 daemons):
 *
 * 1. One recorded point: ns per `record`, with no client listening and with
 *    one (the point is also kept for the next batch), over 1,050 series.
 * 2. One second's batch of that agent (1,000 check states, 50 daemons' CPU and
 *    memory): taking it and encoding it as JSON, and its size.
 * 3. A full window (15 minutes, one point a second per series, rings of the
 *    agent's default capacity): the memory the rings hold, and a snapshot read (`taskwarden stats --json`, the
 *    dashboard's first paint) with its JSON encoding.
 * Run with --expose-gc for the memory figure. BENCH_QUICK=1 records fewer points.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STATS_OPTIONS, StatsRecorder } from '../agent/core/stats/statsRecorder';
import type { StatsSeriesKey } from '../agent/protocol/stats';

const JOBS = 1000;
const DAEMONS = 50;
const WINDOW_S = 15 * 60;

function keys(): { jobs: StatsSeriesKey[]; daemons: string[] } {
  return {
    jobs: Array.from({ length: JOBS }, (_, index) => ({ metric: 'checkState', subject: `job-${index}` }) as const),
    daemons: Array.from({ length: DAEMONS }, (_, index) => `web:${index}`),
  };
}

/** Records one second of the busy agent at `at`. */
function oneSecond(recorder: StatsRecorder, at: number, series: ReturnType<typeof keys>): void {
  for (const [index, key] of series.jobs.entries()) recorder.record(key, (index + at) % 4, undefined, at);
  for (const subject of series.daemons) recorder.recordResources(subject, { cpuPercent: 1.5, memoryBytes: 50e6 }, at);
}

function nsPerPoint(collecting: boolean, seconds: number): number {
  let clock = 0;
  const recorder = new StatsRecorder({ ...DEFAULT_STATS_OPTIONS, now: () => clock });
  recorder.setCollecting(collecting);
  const series = keys();
  const started = process.hrtime.bigint();
  for (let second = 0; second < seconds; second++) {
    clock = second * 1000;
    oneSecond(recorder, clock, series);
    if (collecting) recorder.takeBatch();
  }
  const elapsed = Number(process.hrtime.bigint() - started);
  return elapsed / (seconds * (JOBS + 2 * DAEMONS));
}

function timed<T>(body: () => T): { value: T; ms: number } {
  const started = process.hrtime.bigint();
  const value = body();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

export function runStatsBench(quick: boolean): (readonly [string, string, string])[] {
  const rows: (readonly [string, string, string])[] = [];
  const seconds = quick ? 200 : 2000;
  nsPerPoint(false, 50); // warm-up
  rows.push(['record one point, no client listening', `${nsPerPoint(false, seconds).toFixed(0)} ns`, '< 1 µs']);
  rows.push(['record one point, a client listening', `${nsPerPoint(true, seconds).toFixed(0)} ns`, '< 1 µs']);

  let clock = 0;
  const recorder = new StatsRecorder({ ...DEFAULT_STATS_OPTIONS, now: () => clock });
  const series = keys();
  // Several collections: typed arrays of the recorders above are released only by a later one.
  for (let round = 0; round < 3; round++) global.gc?.();
  const before = process.memoryUsage();
  for (let second = 0; second < WINDOW_S; second++) {
    clock = second * 1000;
    oneSecond(recorder, clock, series);
  }
  for (let round = 0; round < 3; round++) global.gc?.();
  const after = process.memoryUsage();
  const held = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  rows.push([
    `memory of full rings (${recorder.size} series × ${DEFAULT_STATS_OPTIONS.capacity} points)`,
    `${(held / 1e6).toFixed(1)} MB`,
    '',
  ]);

  recorder.setCollecting(true);
  clock += 1000;
  oneSecond(recorder, clock, series);
  const batch = timed(() => JSON.stringify(recorder.takeBatch()));
  rows.push([
    `one second's batch (${JOBS} jobs, ${DAEMONS} daemons): take + JSON`,
    `${batch.ms.toFixed(2)} ms, ${(batch.value.length / 1024).toFixed(0)} KB`,
    '',
  ]);
  const snapshot = timed(() => JSON.stringify(recorder.read()));
  rows.push(['full snapshot read + JSON', `${snapshot.ms.toFixed(0)} ms, ${(snapshot.value.length / 1e6).toFixed(1)} MB`, '']);
  return rows;
}

function render(rows: readonly (readonly [string, string, string])[]): string {
  const header = ['stats recorder', 'measured', 'target'] as const;
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const load = loadavg().map((value) => value.toFixed(2));
  process.stdout.write(
    `${render(runStatsBench(process.env.BENCH_QUICK === '1'))}\n(load average ${load.join(' ')}: ns figures grow with it)\n`,
  );
}
