/**
 * Scenario 9, resources (Taskwarden only): what sampling CPU and memory of
 * every supervised process tree costs the agent, with 50 daemons (`sleep`).
 * 1. The agent's CPU (% of one core, its utime+stime from /proc) in windows
 *    taken in turn with no client watching and with one client watching
 *    (`taskwarden/resources/watch`, subscribed to the daemons' deltas as the
 *    extension is), so the machine's load drifts alike over both.
 * 2. The cost of one reading, measured here in-process on the agent's own code
 *    (ResourceSampler.sample over the same 50 daemons, the whole of /proc read
 *    once), turned into % of a core at the sampling period.
 * The target: sampling costs under 0.5 % of a core for 50 daemons.
 */
import * as fs from 'node:fs';
import { SubscribeRequest } from '../../agent/protocol/agent';
import { ListDaemonsRequest } from '../../agent/daemons/protocol';
import { WatchResourcesRequest, UnwatchResourcesRequest } from '../../agent/protocol/resources';
import { ResourceSampler, SAMPLE_PERIOD_MS } from '../../agent/proc/resources/resourceSampler';
import { identify } from '../../agent/proc/processIdentity';
import type { BenchConfig } from '../config';
import { quantile } from '../stats';
import type { BenchContext } from '../subject';
import { sleep } from '../wait';
import { cpuOver, settled, startAgent } from './jobs';

export interface ResourcesOutcome {
  readonly daemons: number;
  readonly windowS: number;
  /** Agent CPU % of one core per window, unwatched and watched. */
  readonly unwatchedCpuPercent: number[];
  readonly watchedCpuPercent: number[];
  /** Median watched − median unwatched. */
  readonly sampledCostPercent: number;
  /** One reading of /proc for every tree, CPU ms (median of many), and that at the sampling period in % of a core. */
  readonly readingMs: number;
  readonly readingCostPercent: number;
  readonly processesOnMachine: number;
}

const DAEMONS = 50;

function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}
const TARGET_PERCENT = 0.5;

function fleetYaml(count: number): string {
  const lines = ['tasks:'];
  for (let index = 0; index < count; index++) lines.push(`  d${index}: {commands: {start: [sleep, '100000']}}`);
  return `${lines.join('\n')}\n`;
}

/** CPU ms per reading of the agent's sampler over these runs (the same code, in this process). */
function readingCost(pids: readonly number[], readings: number): { perReadingMs: number; processes: number } {
  const sampler = new ResourceSampler();
  pids.forEach((pid, index) => {
    const identity = identify(pid);
    if (identity) sampler.track({ part: 'daemons', id: `d${index}:0` }, identity);
  });
  for (let warm = 0; warm < 20; warm++) sampler.sample();
  const costs: number[] = [];
  for (let round = 0; round < readings; round++) {
    const before = process.cpuUsage();
    sampler.sample();
    const used = process.cpuUsage(before);
    costs.push((used.user + used.system) / 1000);
  }
  return { perReadingMs: median(costs), processes: sampler.sample().length };
}

export async function runResources(context: BenchContext, config: BenchConfig): Promise<ResourcesOutcome> {
  const windowS = config.quick ? 10 : 30;
  const rounds = config.quick ? 2 : 4;
  const agent = await startAgent(context, 'resources', fleetYaml(DAEMONS));
  try {
    const { connection } = agent;
    for (let deadline = Date.now() + 60_000; ;) {
      const list = await connection.connection.sendRequest(ListDaemonsRequest.type, {});
      const running = list.tasks.flatMap((task) => task.instances).filter((instance) => instance.pid !== null);
      if (running.length === DAEMONS) break;
      if (Date.now() > deadline) throw new Error(`only ${running.length} of ${DAEMONS} daemons started`);
      await sleep(200);
    }
    await connection.connection.sendRequest(SubscribeRequest.type, { topics: ['daemons'] });
    // Past the agent's first idle compaction, as the jobs scenario waits.
    await settled(agent);
    const unwatched: number[] = [];
    const watched: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      unwatched.push(await cpuOver(agent.pid, windowS));
      await connection.connection.sendRequest(WatchResourcesRequest.type, {});
      watched.push(await cpuOver(agent.pid, windowS));
      await connection.connection.sendRequest(UnwatchResourcesRequest.type, {});
      context.log(`  round ${round}/${rounds}: agent ${unwatched.at(-1)!.toFixed(3)} % unwatched, ${watched.at(-1)!.toFixed(3)} % watched`);
    }
    const list = await connection.connection.sendRequest(ListDaemonsRequest.type, {});
    const pids = list.tasks.flatMap((task) => task.instances).flatMap((instance) => (instance.pid === null ? [] : [instance.pid]));
    const reading = readingCost(pids, 200);
    const processesOnMachine = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
    const outcome: ResourcesOutcome = {
      daemons: DAEMONS,
      windowS,
      unwatchedCpuPercent: unwatched,
      watchedCpuPercent: watched,
      sampledCostPercent: median(watched) - median(unwatched),
      readingMs: reading.perReadingMs,
      readingCostPercent: (reading.perReadingMs / SAMPLE_PERIOD_MS) * 100,
      processesOnMachine,
    };
    const verdict = (percent: number): string => (percent < TARGET_PERCENT ? 'under' : 'OVER');
    context.log(
      `  agent CPU with ${DAEMONS} daemons: ${median(unwatched).toFixed(3)} % unwatched, ${median(watched).toFixed(3)} % watched (medians of ${rounds} × ${windowS} s): sampling costs ${outcome.sampledCostPercent.toFixed(3)} % of a core, ${verdict(outcome.sampledCostPercent)} the ${TARGET_PERCENT} % target`,
    );
    context.log(
      `  one reading of /proc for ${reading.processes} trees (${processesOnMachine} processes on the machine): ${reading.perReadingMs.toFixed(3)} ms of CPU; every ${SAMPLE_PERIOD_MS / 1000} s that is ${outcome.readingCostPercent.toFixed(3)} % of a core, ${verdict(outcome.readingCostPercent)} the ${TARGET_PERCENT} % target`,
    );
    return outcome;
  } finally {
    await agent.stop();
  }
}
