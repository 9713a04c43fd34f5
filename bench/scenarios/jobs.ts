/**
 * Scenario 7, jobs (Taskwarden only: PM2 and supervisord schedule nothing):
 * 1. timer accuracy: N jobs `every: 1s` with the `noop` handler for a window;
 *    lateness = start of the run − its whole second (from the check events:
 *    timestamp − execution_time), p50/p99, and the agent's CPU meanwhile;
 * 2. scale: 10,000 hourly jobs (none due in the window): agent RSS added next to
 *    an agent with no jobs, and idle CPU of both;
 * 3. `command` checks per second of /bin/true (jobs every 100 ms, more than the
 *    agent can run) next to a bare spawn-and-wait loop in Node.
 * Its table is printed here; the raw figures go with the run's outcomes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectToAgent, type AgentConnection } from '../../agent/cli/agentClient';
import { JobEventsRequest, ListJobsRequest, type CheckEvent } from '../../agent/jobs/protocol';
import type { BenchConfig } from '../config';
import { runCommand } from '../exec';
import { cpuSeconds, readRssKb } from '../proc';
import { summarize } from '../stats';
import type { BenchContext } from '../subject';
import { sleep } from '../wait';

export interface JobsOutcome {
  readonly timer: {
    readonly jobs: number;
    readonly seconds: number;
    readonly runs: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly cpuPercent: number;
  };
  readonly scale: {
    readonly jobs: number;
    readonly rssAddedMb: number;
    readonly idleCpuPercent: number;
    readonly idleCpuNoJobsPercent: number;
  };
  readonly checks: { readonly perSecond: number; readonly bareSpawnPerSecond: number; readonly ratio: number };
}

/** Command jobs every 100 ms: more checks than the agent can run, so the rate is its own. */
const CHECK_JOBS = 50;
/** Settling: until the agent's first idle compaction (agent/server/idleCompaction.ts), so RSS and CPU are what stays. */
const SETTLE_MS = 12_000;
const SETTLE_LIMIT_MS = 90_000;

export interface Agent {
  readonly pid: number;
  readonly dir: string;
  readonly connection: AgentConnection;
  stop(): Promise<void>;
}

export async function startAgent(context: BenchContext, name: string, yaml: string): Promise<Agent> {
  const dir = join(context.tempRoot, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'taskwarden.yaml'), yaml);
  const cli = join(context.repoRoot, 'dist', 'taskwarden.js');
  await runCommand([process.execPath, cli, '-w', dir, 'status'], { env: context.env, timeoutMs: 120_000 });
  // An agent loading thousands of jobs answers once its config is applied: wait for it.
  let connected = await connectToAgent(dir, 'bench');
  for (const deadline = Date.now() + 120_000; !connected.ok && Date.now() < deadline;) {
    await sleep(500);
    connected = await connectToAgent(dir, 'bench');
  }
  if (!connected.ok) throw new Error(connected.error.message);
  const pid = connected.value.handshake.pid;
  const drop = context.cleanup.add(`jobs agent ${name}`, () =>
    runCommand([process.execPath, cli, '-w', dir, 'down'], { env: context.env }).then(() => undefined),
  );
  return {
    pid,
    dir,
    connection: connected.value,
    stop: async () => {
      connected.value.close();
      await runCommand([process.execPath, cli, '-w', dir, 'down'], { env: context.env, timeoutMs: 60_000 });
      drop();
    },
  };
}

/**
 * Waits until the agent has compacted its memory after its start-up burst (its log says so): the
 * compaction itself costs a full collection, which is start-up work, not idle work. A large config
 * delays it past a fixed settling time, into the idle window.
 */
export async function settled(agent: Agent): Promise<void> {
  const log = join(agent.dir, '.taskwarden', 'logs', 'agent.log');
  const started = Date.now();
  while (Date.now() - started < SETTLE_LIMIT_MS) {
    if (existsSync(log) && readFileSync(log, 'utf8').includes('idle: memory compacted')) break;
    await sleep(500);
  }
  await sleep(Math.max(0, SETTLE_MS - (Date.now() - started)));
}

export async function cpuOver(pid: number, seconds: number): Promise<number> {
  const before = cpuSeconds(pid) ?? 0;
  await sleep(seconds * 1000);
  return (((cpuSeconds(pid) ?? 0) - before) / seconds) * 100;
}

async function allEvents(agent: Agent): Promise<CheckEvent[]> {
  const events: CheckEvent[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await agent.connection.connection.sendRequest(JobEventsRequest.type, {
      limit: 1000,
      ...(before === undefined ? {} : { before }),
    });
    events.push(...page.events);
    if (page.nextCursor === null) return events;
    before = page.nextCursor;
  }
}

function jobsYaml(count: number, job: string): string {
  const lines = ['jobs:'];
  for (let index = 0; index < count; index++) lines.push(`  j${index}: ${job}`);
  return `${lines.join('\n')}\n`;
}

async function timerAccuracy(context: BenchContext, jobs: number, seconds: number): Promise<JobsOutcome['timer']> {
  const agent = await startAgent(context, 'jobs-timer', jobsYaml(jobs, '{task: noop, schedule: {every: 1s}}'));
  try {
    await sleep(2000);
    const from = Date.now();
    const cpuPercent = await cpuOver(agent.pid, seconds);
    const until = Date.now();
    const lateness = (await allEvents(agent))
      .map((event) => (event.timestamp - event.execution_time) * 1000)
      .filter((start) => start >= from && start < until)
      .map((start) => start - Math.floor(start / 1000) * 1000);
    const summary = summarize(lateness);
    return {
      jobs,
      seconds,
      runs: lateness.length,
      p50: summary?.median ?? NaN,
      p99: summary?.p99 ?? NaN,
      max: summary?.max ?? NaN,
      cpuPercent,
    };
  } finally {
    await agent.stop();
  }
}

async function scale(context: BenchContext, jobs: number, idleS: number): Promise<JobsOutcome['scale']> {
  const empty = await startAgent(context, 'jobs-none', 'jobs: {}\n');
  let base: { rss: number; cpu: number };
  try {
    await settled(empty);
    const cpu = await cpuOver(empty.pid, idleS);
    base = { rss: readRssKb(empty.pid) ?? NaN, cpu };
  } finally {
    await empty.stop();
  }
  const many = await startAgent(
    context,
    'jobs-hourly',
    jobsYaml(jobs, "{task: noop, run_on_start: false, schedule: {rrule: 'FREQ=HOURLY'}}"),
  );
  try {
    const listed = await many.connection.connection.sendRequest(ListJobsRequest.type, {});
    if (listed.jobs.length !== jobs) throw new Error(`${listed.jobs.length} jobs loaded, not ${jobs}`);
    await settled(many);
    const cpu = await cpuOver(many.pid, idleS);
    const rss = readRssKb(many.pid) ?? NaN;
    return { jobs, rssAddedMb: (rss - base.rss) / 1024, idleCpuPercent: cpu, idleCpuNoJobsPercent: base.cpu };
  } finally {
    await many.stop();
  }
}

/** Spawn-and-wait loops of /bin/true in Node, `workers` at once (as many as the jobs that may run at once). */
async function bareSpawnRate(seconds: number, workers: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let count = 0;
  const started = Date.now();
  const worker = async (): Promise<void> => {
    while (Date.now() < until) {
      await new Promise<void>((resolve) => spawn('/bin/true', { stdio: 'ignore' }).on('exit', () => resolve()));
      count += 1;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return count / ((Date.now() - started) / 1000);
}

async function checkRate(context: BenchContext, seconds: number): Promise<JobsOutcome['checks']> {
  const bareSpawnPerSecond = await bareSpawnRate(seconds, CHECK_JOBS);
  const agent = await startAgent(
    context,
    'jobs-checks',
    jobsYaml(CHECK_JOBS, '{task: command, schedule: {every: 100ms}, params: {cmd: [/bin/true]}}'),
  );
  try {
    await sleep(2000);
    const from = Date.now();
    await sleep(seconds * 1000);
    const until = Date.now();
    const runs = (await allEvents(agent)).filter((event) => event.timestamp * 1000 >= from && event.timestamp * 1000 < until).length;
    const perSecond = runs / ((until - from) / 1000);
    return { perSecond, bareSpawnPerSecond, ratio: perSecond / bareSpawnPerSecond };
  } finally {
    await agent.stop();
  }
}

export async function runJobs(context: BenchContext, config: BenchConfig): Promise<JobsOutcome> {
  const timer = await timerAccuracy(context, config.quick ? 200 : 1000, config.quick ? 10 : 60);
  const scaled = await scale(context, config.quick ? 2000 : 10_000, config.quick ? 5 : 20);
  const checks = await checkRate(context, config.quick ? 5 : 15);
  const outcome = { timer, scale: scaled, checks };
  const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  context.log(
    `  timer: ${timer.jobs} jobs every 1s for ${timer.seconds} s, ${timer.runs} runs: lateness p50 ${fixed(timer.p50)} ms, p99 ${fixed(timer.p99)} ms, max ${fixed(timer.max)} ms; agent CPU ${fixed(timer.cpuPercent)} %`,
  );
  context.log(
    `  scale: ${scaled.jobs} hourly jobs: RSS +${fixed(scaled.rssAddedMb)} MB, idle CPU ${fixed(scaled.idleCpuPercent, 2)} % (no jobs: ${fixed(scaled.idleCpuNoJobsPercent, 2)} %)`,
  );
  context.log(
    `  checks: command /bin/true ${fixed(checks.perSecond)}/s, bare spawn loop ${fixed(checks.bareSpawnPerSecond)}/s (${fixed(checks.ratio * 100)} %)`,
  );
  return outcome;
}
