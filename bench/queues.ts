/**
 * `npm run bench:queues`: Taskwarden's queues next to task-spooler (`tsp`) and nq, each with a
 * private state folder, against a bare Node spawn loop, in one run, printing one table.
 *
 * 1. Throughput: N items of /bin/true into one queue, items per second from the first push to the
 *    last end: (a) one CLI call per item from a shell loop (measured on BENCH_QUEUE_CLI_ITEMS items:
 *    a Node CLI start costs ~170 ms here, so (a) cannot win), (b) one `--stdin` batch, (c) through
 *    the protocol (one push request per item, pipelined). tsp and nq push one item per call.
 * 2. Latency: the gap between consecutive start stamps (CLOCK_MONOTONIC, first instruction) of an
 *    exit-at-once C child (bench/fixtures/stamp.c): previous item's start, run and end, then the
 *    next one's first instruction; p50/p99.
 * 3. Scale: 10,000 queued items in a paused queue: agent RSS added, `queue list --json` time
 *    (CLI, whole command) and the items request through the protocol.
 * BENCH_QUEUE_ITEMS (default 1000) sets N.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectToAgent } from '../agent/cli/agentClient';
import { PushItemsRequest, QueueItemsRequest, WaitQueueEmptyRequest } from '../agent/protocol/queues';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(repoRoot, 'dist', 'taskwarden.js');
const N = Number(process.env.BENCH_QUEUE_ITEMS ?? 1000);
const CLI_N = Number(process.env.BENCH_QUEUE_CLI_ITEMS ?? 100);
const root = mkdtempSync(join(tmpdir(), 'tw-bench-queues-'));

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function sh(script: string, env: Record<string, string> = {}): void {
  const result = spawnSync('bash', ['-c', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${script.slice(0, 80)}: ${result.stderr.toString()}`);
}

function workspace(name: string, config: string): string {
  const dir = join(root, name);
  spawnSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'taskwarden.yaml'), config);
  return dir;
}

function tw(dir: string, args: string[], input?: string): string {
  return execFileSync(process.execPath, [CLI, '-w', dir, ...args], { input: input ?? '', maxBuffer: 1 << 28 }).toString();
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function agentOf(dir: string) {
  const result = await connectToAgent(dir, 'bench');
  if (!result.ok) throw new Error(result.message);
  return result.agent;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const rows: [string, string, string][] = [];
function row(what: string, value: string, note = ''): void {
  rows.push([what, value, note]);
  process.stdout.write(`  ${what}: ${value} ${note}\n`);
}

async function main(): Promise<void> {
  const config = 'queues:\n  q: {}\n';
  const lines = `${Array.from({ length: N }, () => '["/bin/true"]').join('\n')}\n`;

  // Peers, one push per call from a shell loop.
  const tspDir = join(root, 'tsp');
  spawnSync('mkdir', ['-p', tspDir]);
  const tspEnv = { TS_SOCKET: join(tspDir, 'socket'), TMPDIR: tspDir, TS_MAXFINISHED: String(N + 10) };
  let start = process.hrtime.bigint();
  sh(`for i in $(seq ${N}); do tsp /bin/true >/dev/null; done; tsp -w >/dev/null 2>&1 || true`, tspEnv);
  const tspRate = N / seconds(start);
  spawnSync('tsp', ['-K'], { env: { ...process.env, ...tspEnv } });
  row('tsp, one call per item', `${tspRate.toFixed(0)}/s`);

  const nqDir = join(root, 'nq');
  spawnSync('mkdir', ['-p', nqDir]);
  start = process.hrtime.bigint();
  sh(`for i in $(seq ${N}); do nq /bin/true >/dev/null; done; nq -w >/dev/null 2>&1`, { NQDIR: nqDir });
  const nqRate = N / seconds(start);
  row('nq, one call per item', `${nqRate.toFixed(0)}/s`);

  // Bare Node spawn loop.
  start = process.hrtime.bigint();
  for (let index = 0; index < N; index++)
    await new Promise<void>((resolve) => spawn('/bin/true', [], { stdio: 'ignore' }).on('exit', () => resolve()));
  const nodeRate = N / seconds(start);
  row('bare Node spawn loop', `${nodeRate.toFixed(0)}/s`);

  // (a) one CLI call per item.
  const a = workspace('a', config);
  tw(a, ['up']);
  start = process.hrtime.bigint();
  sh(`for i in $(seq ${CLI_N}); do node ${CLI} -w ${a} queue push q -- /bin/true >/dev/null; done; node ${CLI} -w ${a} queue wait-empty q`);
  const aRate = CLI_N / seconds(start);
  row('(a) taskwarden, one CLI call per item', `${aRate.toFixed(0)}/s`, `(${CLI_N} items; a Node CLI start each)`);
  tw(a, ['down']);

  // (b) one --stdin batch.
  const b = workspace('b', config);
  tw(b, ['up']);
  start = process.hrtime.bigint();
  tw(b, ['queue', 'push', 'q', '--stdin'], lines);
  tw(b, ['queue', 'wait-empty', 'q']);
  const bRate = N / seconds(start);
  row('(b) taskwarden, one --stdin batch', `${bRate.toFixed(0)}/s`, `(${(bRate / Math.max(tspRate, nqRate)).toFixed(1)}x the best peer)`);

  // (c) through the protocol.
  const agent = await agentOf(b);
  start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: N }, () => agent.connection.sendRequest(PushItemsRequest.type, { queue: 'q', items: [{ cmd: ['/bin/true'] }] })),
  );
  await agent.connection.sendRequest(WaitQueueEmptyRequest.type, { queue: 'q' });
  const cRate = N / seconds(start);
  row('(c) taskwarden, protocol', `${cRate.toFixed(0)}/s`, `(${((cRate / nodeRate) * 100).toFixed(0)} % of the bare Node loop)`);

  // Latency: consecutive start stamps of an exit-at-once C child.
  const stamp = join(root, 'stamp');
  execFileSync('gcc', ['-O2', '-o', stamp, join(repoRoot, 'bench', 'fixtures', 'stamp.c')]);
  const stamps = join(root, 'stamps');
  const latencyItems = Math.min(N, 500);
  await agent.connection.sendRequest(PushItemsRequest.type, {
    queue: 'q',
    items: Array.from({ length: latencyItems }, () => ({ cmd: [stamp, stamps, 'exit'] })),
  });
  await agent.connection.sendRequest(WaitQueueEmptyRequest.type, { queue: 'q' });
  const ns = readFileSync(stamps, 'utf8')
    .trim()
    .split('\n')
    .map((line) => BigInt(line.split(' ')[1]!));
  const gaps = ns
    .slice(1)
    .map((value, index) => Number(value - ns[index]!) / 1e6)
    .sort((x, y) => x - y);
  row(
    'latency previous start → next first instruction p50',
    `${percentile(gaps, 50).toFixed(2)} ms`,
    `(${latencyItems} items; includes the child's own run)`,
  );
  row('latency p99', `${percentile(gaps, 99).toFixed(2)} ms`);

  // Scale: 10,000 queued.
  const pid = agent.handshake.pid;
  tw(b, ['queue', 'pause', 'q']);
  const before = rssKb(pid);
  tw(b, ['queue', 'push', 'q', '--stdin'], `${Array.from({ length: 10_000 }, () => '["/bin/true"]').join('\n')}\n`);
  const after = rssKb(pid);
  row('RSS added by 10,000 queued', `${((after - before) / 1024).toFixed(1)} MB`);
  start = process.hrtime.bigint();
  const listed = tw(b, ['queue', 'list', 'q', '--json']);
  row('queue list --json (CLI, whole command)', `${(seconds(start) * 1000).toFixed(0)} ms`, `(${listed.length} bytes)`);
  start = process.hrtime.bigint();
  await agent.connection.sendRequest(QueueItemsRequest.type, { queue: 'q' });
  row('items request via protocol', `${(seconds(start) * 1000).toFixed(0)} ms`);
  start = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  row('(bare node -e 0, for scale)', `${(seconds(start) * 1000).toFixed(0)} ms`);
  agent.close();
  tw(b, ['down']);

  process.stdout.write('\n| measure | value | note |\n|---|---|---|\n');
  for (const [what, value, note] of rows) process.stdout.write(`| ${what} | ${value} | ${note} |\n`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench:queues failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
