/**
 * Benchmark settings, read once from the environment. `BENCH_QUICK=1` shrinks every scenario for
 * a run of a minute or two while developing; each figure can also be set on its own.
 */

export const SCENARIOS = ['restart', 'startStop', 'idle', 'log', 'tasks', 'feedback', 'queues', 'jobs', 'resources', 'groups'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SUBJECT_IDS = ['taskwarden', 'pm2', 'supervisord', 'tsp', 'nq', 'node', 'c'] as const;
export type SubjectId = (typeof SUBJECT_IDS)[number];

export interface BenchConfig {
  readonly quick: boolean;
  /** Restart: blocks per supervisor (interleaved between supervisors) and kills per block. */
  readonly restartBlocks: number;
  readonly killsPerBlock: number;
  /** Restart: random pause before each kill, uniform in [min, max] ms. */
  readonly gapMinMs: number;
  readonly gapMaxMs: number;
  /** Start/stop and idle: how many daemons, and how many start+stop rounds. */
  readonly fleetSize: number;
  readonly startStopRuns: number;
  /** Idle: settle time after the fleet is up, then windows of CPU/RSS sampling. */
  readonly idleSettleS: number;
  readonly idleWindows: number;
  readonly idleWindowS: number;
  /** Log: bytes the producer writes, runs per supervisor. */
  readonly logBytes: number;
  readonly logRuns: number;
  /** Tasks: how many `/bin/true` tasks, and concurrent CLI invocations for the CLI path. */
  readonly tasks: number;
  /** Feedback watch: running tasks with a feedback file, sampled like the idle scenario. */
  readonly feedbackTasks: number;
  readonly cliConcurrency: number;
  /** Queues: items per throughput run, items for the one-CLI-call-per-item path, runs per path. */
  readonly queueItems: number;
  readonly queueCliItems: number;
  readonly queueRuns: number;
  /** Queues: stamp items for the latency run; items queued for the scale figures, list runs. */
  readonly queueLatencyItems: number;
  readonly queueScaleItems: number;
  readonly queueListRuns: number;
  /** Keep the temporary folder (configs, peers' and agents' logs) for a post-mortem. */
  readonly keepTemp: boolean;
  readonly scenarios: readonly ScenarioName[];
  readonly subjects: readonly SubjectId[];
}

type Env = Record<string, string | undefined>;

function numberFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw}: expected a number >= 0`);
  return value;
}

function listFrom<T extends string>(env: Env, name: string, allowed: readonly T[]): readonly T[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return allowed;
  const wanted = raw.split(',').map((item) => item.trim());
  for (const item of wanted) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`${name}: unknown "${item}"; expected some of ${allowed.join(',')}`);
    }
  }
  return allowed.filter((item) => wanted.includes(item));
}

/** `BENCH_GAP_MS=500-1000` style ranges. */
function rangeFrom(env: Env, name: string, fallback: [number, number]): [number, number] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)-(\d+)$/.exec(raw.trim());
  if (!match) throw new Error(`${name}=${raw}: expected MIN-MAX in ms, e.g. 500-1000`);
  const low = Number(match[1]);
  const high = Number(match[2]);
  if (high < low) throw new Error(`${name}=${raw}: MAX is below MIN`);
  return [low, high];
}

/** Reads the settings; throws a message naming the variable on bad input. */
export function readConfig(env: Env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const [gapMinMs, gapMaxMs] = rangeFrom(env, 'BENCH_GAP_MS', quick ? [200, 400] : [500, 1000]);
  return {
    quick,
    restartBlocks: numberFrom(env, 'BENCH_BLOCKS', quick ? 2 : 5),
    killsPerBlock: numberFrom(env, 'BENCH_KILLS', quick ? 5 : 15),
    gapMinMs,
    gapMaxMs,
    fleetSize: numberFrom(env, 'BENCH_FLEET', 50),
    startStopRuns: numberFrom(env, 'BENCH_START_RUNS', quick ? 2 : 10),
    idleSettleS: numberFrom(env, 'BENCH_IDLE_SETTLE_S', quick ? 2 : 10),
    idleWindows: numberFrom(env, 'BENCH_IDLE_WINDOWS', quick ? 1 : 3),
    idleWindowS: numberFrom(env, 'BENCH_IDLE_WINDOW_S', quick ? 5 : 30),
    logBytes: numberFrom(env, 'BENCH_LOG_MB', quick ? 100 : 500) * 1_000_000,
    logRuns: numberFrom(env, 'BENCH_LOG_RUNS', quick ? 1 : 5),
    tasks: numberFrom(env, 'BENCH_TASKS', quick ? 100 : 500),
    feedbackTasks: numberFrom(env, 'BENCH_FEEDBACK_TASKS', 200),
    cliConcurrency: Math.max(1, numberFrom(env, 'BENCH_CLI_CONCURRENCY', 4)),
    queueItems: Math.max(1, numberFrom(env, 'BENCH_QUEUE_ITEMS', quick ? 300 : 1000)),
    queueCliItems: Math.max(1, numberFrom(env, 'BENCH_QUEUE_CLI_ITEMS', quick ? 20 : 100)),
    queueRuns: Math.max(1, numberFrom(env, 'BENCH_QUEUE_RUNS', quick ? 1 : 3)),
    queueLatencyItems: Math.max(2, numberFrom(env, 'BENCH_QUEUE_LATENCY_ITEMS', quick ? 200 : 500)),
    queueScaleItems: Math.max(1, numberFrom(env, 'BENCH_QUEUE_SCALE', 10_000)),
    queueListRuns: Math.max(1, numberFrom(env, 'BENCH_QUEUE_LIST_RUNS', quick ? 3 : 10)),
    keepTemp: env.BENCH_KEEP === '1',
    scenarios: listFrom(env, 'BENCH_SCENARIOS', SCENARIOS),
    subjects: listFrom(env, 'BENCH_SUBJECTS', SUBJECT_IDS),
  };
}

/** The variables above, for `--help`-like output at the top of a run. */
export const CONFIG_HELP =
  'BENCH_QUICK=1, BENCH_BLOCKS, BENCH_KILLS, BENCH_GAP_MS=min-max, BENCH_FLEET, BENCH_START_RUNS, ' +
  'BENCH_IDLE_SETTLE_S, BENCH_IDLE_WINDOWS, BENCH_IDLE_WINDOW_S, BENCH_LOG_MB, BENCH_LOG_RUNS, ' +
  'BENCH_TASKS, BENCH_CLI_CONCURRENCY, BENCH_FEEDBACK_TASKS, BENCH_QUEUE_ITEMS, BENCH_QUEUE_CLI_ITEMS, ' +
  'BENCH_QUEUE_RUNS, BENCH_QUEUE_LATENCY_ITEMS, BENCH_QUEUE_SCALE, BENCH_QUEUE_LIST_RUNS, BENCH_KEEP=1, BENCH_SCENARIOS=' +
  SCENARIOS.join(',') +
  ', BENCH_SUBJECTS=' +
  SUBJECT_IDS.join(',');
