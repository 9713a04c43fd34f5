/**
 * Scenario 9, process groups (Taskwarden only: no peer has tasklet groups):
 * 1. round overhead: one group of 100 tasklets whose `main` does nothing, rounds
 *    back to back (interval 0.05 s): a round's time beyond its tasklets' own, from
 *    the recorded rounds, p50 and p95 (target under 5 ms);
 * 2. 20 such groups at a 1 s interval: the agent's own CPU (utime + stime of
 *    /proc/PID/stat, its spawn helper included) over a window, as % of one core
 *    (target under 1 %), the 20 runners' CPU beside it, and the agent's RSS;
 * 3. memory of one runner: RSS, PSS and private (USS) from /proc/PID/smaps_rollup.
 *    RSS counts the node binary's file-backed pages (~34 MB here), which the agent
 *    and every runner share: the target (under 30 MB) is compared with the
 *    private part, what each further group costs; RSS and PSS are shown beside it.
 * Its table is printed here; the raw figures go with the run's outcomes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectToAgent, type AgentConnection } from '../../agent/cli/agentClient';
import { GroupHistoryRequest, ListGroupsRequest } from '../../agent/groups/protocol';
import type { BenchConfig } from '../config';
import { runCommand } from '../exec';
import { cpuSeconds, readRssKb } from '../proc';
import { quantile } from '../stats';
import type { BenchContext } from '../subject';
import { sleep } from '../wait';

/** One process's memory, MB (smaps_rollup). */
export interface MemoryFigures {
  readonly rssMb: number;
  readonly pssMb: number;
  readonly privateMb: number;
}

export interface GroupsOutcome {
  readonly overhead: { readonly rounds: number; readonly p50: number; readonly p95: number; readonly max: number };
  readonly fleet: {
    readonly groups: number;
    readonly tasklets: number;
    readonly seconds: number;
    readonly agentCpuPercent: number;
    readonly runnersCpuPercent: number;
    readonly agentRssMb: number;
  };
  /** The runner of the single group, and the median of the fleet's 20 runners (by private size). */
  readonly runner: MemoryFigures;
  readonly fleetRunner: MemoryFigures;
}

const TASKLETS = 100;
const FLEET_GROUPS = 20;

interface Agent {
  readonly pid: number;
  readonly connection: AgentConnection;
  stop(): Promise<void>;
}

function workspace(context: BenchContext, name: string, groups: number, interval: number, history: number): string {
  const dir = join(context.tempRoot, name);
  for (let group = 0; group < groups; group++) {
    const folder = join(dir, 'processhandler', `g${group}`);
    mkdirSync(folder, { recursive: true });
    for (let index = 0; index < TASKLETS; index++)
      writeFileSync(join(folder, `t${String(index).padStart(3, '0')}.js`), 'exports.main = () => undefined;\n');
  }
  writeFileSync(join(dir, 'taskwarden.yaml'), `groups:\n  interval: ${interval}\n  history: ${history}\n`);
  return dir;
}

async function startAgent(context: BenchContext, dir: string): Promise<Agent> {
  const cli = join(context.repoRoot, 'dist', 'taskwarden.js');
  await runCommand([process.execPath, cli, '-w', dir, 'up'], { env: context.env, timeoutMs: 120_000 });
  const drop = context.cleanup.add(`groups agent ${dir}`, () =>
    runCommand([process.execPath, cli, '-w', dir, 'down'], { env: context.env }).then(() => undefined),
  );
  const connected = await connectToAgent(dir, 'bench');
  if (!connected.ok) throw new Error(connected.error.message);
  return {
    pid: connected.value.handshake.pid,
    connection: connected.value,
    stop: async () => {
      connected.value.close();
      await runCommand([process.execPath, cli, '-w', dir, 'down'], { env: context.env, timeoutMs: 60_000 });
      drop();
    },
  };
}

/** RSS, PSS and private pages of one process (private = Private_Clean + Private_Dirty: what it alone holds). */
export function memoryOf(pid: number): MemoryFigures {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: kb('Rss') / 1024, pssMb: kb('Pss') / 1024, privateMb: (kb('Private_Clean') + kb('Private_Dirty')) / 1024 };
}

async function roundOverhead(context: BenchContext, rounds: number): Promise<Pick<GroupsOutcome, 'overhead' | 'runner'>> {
  const agent = await startAgent(context, workspace(context, 'groups-overhead', 1, 0.05, rounds + 5));
  try {
    const history = (limit: number) => agent.connection.connection.sendRequest(GroupHistoryRequest.type, { group: 'g0', limit });
    // The first rounds load the tasklets and warm up: only the later ones count.
    const deadline = Date.now() + 180_000;
    while ((await history(rounds + 5)).rounds.length < rounds + 5) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${rounds} rounds`);
      await sleep(200);
    }
    const recorded = (await history(rounds)).rounds;
    const overheads = recorded.map(
      (round) => round.endedAt - round.startedAt - round.results.reduce((sum, result) => sum + result.durationMs, 0),
    );
    const sorted = overheads.sort((a, b) => a - b);
    const pid = (await agent.connection.connection.sendRequest(ListGroupsRequest.type, {})).groups[0]?.pid;
    if (pid === null || pid === undefined) throw new Error('the group has no runner');
    return {
      overhead: { rounds: recorded.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? NaN },
      runner: memoryOf(pid),
    };
  } finally {
    await agent.stop();
  }
}

async function fleet(context: BenchContext, seconds: number): Promise<Pick<GroupsOutcome, 'fleet' | 'fleetRunner'>> {
  const agent = await startAgent(context, workspace(context, 'groups-fleet', FLEET_GROUPS, 1, 200));
  try {
    const list = () => agent.connection.connection.sendRequest(ListGroupsRequest.type, {});
    let groups = (await list()).groups;
    for (const deadline = Date.now() + 180_000; !groups.every((group) => group.rounds >= 3); groups = (await list()).groups) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${FLEET_GROUPS} groups to run 3 rounds`);
      await sleep(500);
    }
    const pids = groups.map((group) => group.pid).filter((pid): pid is number => pid !== null);
    // The bench's own connection stays quiet during the window (no subscription).
    const agentBefore = cpuSeconds(agent.pid) ?? NaN;
    const runnersBefore = pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
    await sleep(seconds * 1000);
    const agentCpuPercent = (((cpuSeconds(agent.pid) ?? NaN) - agentBefore) / seconds) * 100;
    const runnersCpuPercent = ((pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0) - runnersBefore) / seconds) * 100;
    const memories = pids.map(memoryOf).sort((a, b) => a.privateMb - b.privateMb);
    return {
      fleet: {
        groups: pids.length,
        tasklets: TASKLETS,
        seconds,
        agentCpuPercent,
        runnersCpuPercent,
        agentRssMb: (readRssKb(agent.pid) ?? NaN) / 1024,
      },
      fleetRunner: memories[Math.floor(memories.length / 2)]!,
    };
  } finally {
    await agent.stop();
  }
}

export async function runGroups(context: BenchContext, config: BenchConfig): Promise<GroupsOutcome> {
  const single = await roundOverhead(context, config.quick ? 40 : 200);
  const many = await fleet(context, config.quick ? 10 : 30);
  const outcome: GroupsOutcome = { ...single, ...many };
  const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
  const memory = (figures: MemoryFigures) =>
    `private ${fixed(figures.privateMb)} MB (target < 30 MB), PSS ${fixed(figures.pssMb)} MB, RSS ${fixed(figures.rssMb)} MB`;
  const { overhead } = outcome;
  context.log(
    `  round overhead, ${TASKLETS} no-op tasklets, ${overhead.rounds} rounds: p50 ${fixed(overhead.p50)} ms, p95 ${fixed(overhead.p95)} ms, max ${fixed(overhead.max)} ms (target < 5 ms)`,
  );
  context.log(
    `  ${outcome.fleet.groups} groups × ${TASKLETS} tasklets at 1 s, ${outcome.fleet.seconds} s: agent CPU ${fixed(outcome.fleet.agentCpuPercent, 2)} % of a core (target < 1 %), the runners together ${fixed(outcome.fleet.runnersCpuPercent, 2)} %; agent RSS ${fixed(outcome.fleet.agentRssMb)} MB`,
  );
  context.log(`  one runner (1 group): ${memory(outcome.runner)}`);
  context.log(`  one runner (median of the ${outcome.fleet.groups}): ${memory(outcome.fleetRunner)}`);
  context.log(
    "  (a runner's RSS counts the node binary's file-backed pages, shared with the agent and every other runner; the target is compared with its private part, what one more group costs)",
  );
  return outcome;
}
