/**
 * The process groups scenario (`BENCH_SCENARIOS=groups`, or alone with
 * `node --import tsx bench/groups.ts` after a build): Taskwarden only, as no peer
 * has tasklet groups.
 *
 * 1. Round overhead: one group of 100 tasklets whose `main` does nothing, rounds
 *    back to back (interval 0.05 s): a round's time beyond its tasklets' own, p50
 *    and p95 (target under 5 ms).
 * 2. Agent CPU with 20 such groups at a 1 s interval: the agent's own CPU time
 *    (utime + stime of /proc/PID/stat) over a window, as % of one core (target
 *    under 1 %); the runners' CPU beside it.
 * 3. Memory: one runner's resident size (target under 30 MB) and the agent's with
 *    the 20 groups running.
 * BENCH_QUICK=1 shortens the windows.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectToAgent } from '../agent/cli/agentClient';
import { GroupHistoryRequest, ListGroupsRequest } from '../agent/protocol/groups';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(repoRoot, 'dist', 'taskwarden.js');
const TICKS_PER_SECOND = 100;

export interface GroupsBenchResult {
  readonly rows: readonly (readonly [string, string, string])[];
}

function tw(dir: string, args: string[]): string {
  return execFileSync(process.execPath, [CLI, '-w', dir, ...args]).toString();
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function workspace(root: string, name: string, groups: number, tasklets: number, interval: number): string {
  const dir = join(root, name);
  for (let group = 0; group < groups; group++) {
    const folder = join(dir, 'processhandler', `g${group}`);
    mkdirSync(folder, { recursive: true });
    for (let index = 0; index < tasklets; index++)
      writeFileSync(join(folder, `t${String(index).padStart(3, '0')}.js`), 'exports.main = () => undefined;\n');
  }
  writeFileSync(join(dir, 'taskwarden.yaml'), `groups:\n  interval: ${interval}\n  history: 200\n`);
  return dir;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function runGroupsBench(quick: boolean, log: (line: string) => void = () => undefined): Promise<GroupsBenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'tw-bench-groups-'));
  const rows: [string, string, string][] = [];
  const dirs: string[] = [];
  try {
    // 1. Round overhead.
    const single = workspace(root, 'overhead', 1, 100, 0.05);
    dirs.push(single);
    tw(single, ['up']);
    const agent = await connectToAgent(single, 'bench');
    if (!agent.ok) throw new Error(agent.message);
    const wanted = quick ? 40 : 200;
    await waitUntil(
      async () =>
        (await agent.agent.connection.sendRequest(GroupHistoryRequest.type, { group: 'g0', limit: wanted + 5 })).rounds.length >=
        wanted + 5,
      120_000,
      `${wanted} rounds`,
    );
    const rounds = (await agent.agent.connection.sendRequest(GroupHistoryRequest.type, { group: 'g0', limit: wanted })).rounds;
    const overheads = rounds.map(
      (round) => round.endedAt - round.startedAt - round.results.reduce((sum, result) => sum + result.durationMs, 0),
    );
    rows.push([
      'round overhead, 100 no-op tasklets (p50 / p95)',
      `${percentile(overheads, 50)} ms / ${percentile(overheads, 95)} ms`,
      '< 5 ms',
    ]);
    const runner = (await agent.agent.connection.sendRequest(ListGroupsRequest.type, {})).groups[0]!.pid!;
    rows.push(['runner RSS (1 group, 100 tasklets)', `${rssMb(runner).toFixed(1)} MB`, '< 30 MB']);
    agent.agent.close();
    tw(single, ['down']);
    log(`  round overhead measured over ${rounds.length} rounds`);

    // 2 and 3. Twenty groups at 1 s.
    const fleet = workspace(root, 'fleet', 20, 100, 1);
    dirs.push(fleet);
    tw(fleet, ['up']);
    const connected = await connectToAgent(fleet, 'bench');
    if (!connected.ok) throw new Error(connected.message);
    const { connection, handshake } = connected.agent;
    await waitUntil(
      async () => (await connection.sendRequest(ListGroupsRequest.type, {})).groups.every((group) => group.rounds >= 3),
      120_000,
      '20 groups running',
    );
    const pids = (await connection.sendRequest(ListGroupsRequest.type, {})).groups.map((group) => group.pid!);
    connected.agent.close();
    const windowMs = quick ? 10_000 : 30_000;
    const agentBefore = cpuTicks(handshake.pid);
    const runnersBefore = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
    await sleep(windowMs);
    const agentCpu = ((cpuTicks(handshake.pid) - agentBefore) / TICKS_PER_SECOND / (windowMs / 1000)) * 100;
    const runnersCpu = ((pids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - runnersBefore) / TICKS_PER_SECOND / (windowMs / 1000)) * 100;
    rows.push([`agent CPU, 20 groups × 100 tasklets at 1 s (${windowMs / 1000} s window)`, `${agentCpu.toFixed(2)} % of a core`, '< 1 %']);
    rows.push(['the 20 runners together, CPU', `${runnersCpu.toFixed(2)} % of a core`, '']);
    rows.push(['agent RSS with the 20 groups', `${rssMb(handshake.pid).toFixed(1)} MB`, '']);
    const runnerRss = pids.map(rssMb);
    rows.push(['runner RSS (median of 20)', `${percentile(runnerRss, 50).toFixed(1)} MB`, '< 30 MB']);
    tw(fleet, ['down']);
  } finally {
    for (const dir of dirs) {
      try {
        tw(dir, ['down']);
      } catch {
        // Already down.
      }
    }
    rmSync(root, { recursive: true, force: true });
  }
  return { rows };
}

/** The rows as an aligned table. */
export function renderGroupsTable(result: GroupsBenchResult): string {
  const header = ['process groups', 'measured', 'target'] as const;
  const widths = header.map((title, column) => Math.max(title.length, ...result.rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...result.rows.map(line)].join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  runGroupsBench(process.env.BENCH_QUICK === '1', (line) => process.stdout.write(`${line}\n`))
    .then((result) => process.stdout.write(`${renderGroupsTable(result)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`groups bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
