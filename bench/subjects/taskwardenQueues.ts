/**
 * Taskwarden's queue `q` (concurrency 1) as the benchmark drives it: one `taskwarden queue push
 * q -- CMD` per item from a bash loop (a Node start-up each), one `taskwarden queue push q
 * --stdin` batch, or push requests over the agent's socket (pipelined, as the extension would).
 * The end of a drain is the agent's answer to a `waitEmpty` request sent once the pushes are in.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectToAgent } from '../../agent/cli/agentClient';
import {
  ClearQueueRequest,
  PauseQueueRequest,
  PushItemsRequest,
  QueueItemsJsonRequest,
  ResumeQueueRequest,
  WaitQueueEmptyRequest,
} from '../../agent/queues/protocol';
import { describeFailure, runCommand } from '../exec';
import { readRssKb } from '../proc';
import type { BenchContext, QueueRunner, QueueScale } from '../subject';
import { Unavailable } from '../subject';
import { nowNs } from '../wait';
import type { Workspace } from './taskwardenWorkspace';

const QUEUE = 'q';

export async function queueRunner(context: BenchContext, ws: Workspace, cliPath: string): Promise<QueueRunner> {
  const status = await ws.cli(['status', '--json', '--no-start', '-w', ws.dir]);
  const agentPid = (JSON.parse(status.stdout) as { pid: number }).pid;
  const attempt = await connectToAgent(ws.dir, 'bench');
  if (!attempt.ok) {
    await ws.down();
    throw new Unavailable(`no agent to push through: ${attempt.error.message}`);
  }
  const { connection } = attempt.value;
  const cli = [process.execPath, cliPath, '-w', ws.dir, '--no-start'];
  const waitEmpty = (): Promise<void> => connection.sendRequest(WaitQueueEmptyRequest.type, { queue: QUEUE });

  const pushOneCliCallEach = async (count: number, argv: readonly string[]): Promise<void> => {
    const script = 'n=$1; shift; for ((i = 0; i < n; i++)); do "$@" >/dev/null || exit 1; done';
    const result = await runCommand(['bash', '-c', script, 'bash', String(count), ...cli, 'queue', 'push', QUEUE, '--', ...argv], {
      env: context.env,
      timeoutMs: 600_000,
    });
    if (result.code !== 0) throw new Error(describeFailure(result));
  };

  const pushBatch = async (count: number, argv: readonly string[]): Promise<void> => {
    const file = join(ws.dir, 'batch.jsonl');
    writeFileSync(file, `${JSON.stringify(argv)}\n`.repeat(count));
    const result = await runCommand(
      ['bash', '-c', 'file=$1; shift; "$@" <"$file"', 'bash', file, ...cli, 'queue', 'push', QUEUE, '--stdin'],
      {
        env: context.env,
        timeoutMs: 600_000,
      },
    );
    if (result.code !== 0) throw new Error(describeFailure(result));
  };

  const scale = async (count: number, listRuns: number): Promise<QueueScale> => {
    await connection.sendRequest(PauseQueueRequest.type, { queue: QUEUE });
    try {
      const before = readRssKb(agentPid) ?? Number.NaN;
      const items = Array.from({ length: count }, () => ({ cmd: ['/bin/true'] }));
      await connection.sendRequest(PushItemsRequest.type, { queue: QUEUE, items });
      const after = readRssKb(agentPid) ?? Number.NaN;
      const listCliMs: number[] = [];
      const listProtocolMs: number[] = [];
      let listBytes = 0;
      for (let run = 0; run < listRuns; run++) {
        const result = await runCommand([...cli, 'queue', 'list', QUEUE, '--json'], { env: context.env });
        if (result.code !== 0) throw new Error(describeFailure(result));
        const listed = (JSON.parse(result.stdout) as unknown[]).length;
        if (listed !== count) throw new Error(`queue list --json listed ${listed} items, expected ${count}`);
        listBytes = result.stdout.length;
        listCliMs.push(result.ms);
        const at = nowNs();
        await connection.sendRequest(QueueItemsJsonRequest.type, { queue: QUEUE });
        listProtocolMs.push(Number(nowNs() - at) / 1e6);
      }
      return { rssAddedMb: (after - before) / 1024, listCliMs, listProtocolMs, listBytes };
    } finally {
      await connection.sendRequest(ClearQueueRequest.type, { queue: QUEUE });
      await connection.sendRequest(ResumeQueueRequest.type, { queue: QUEUE });
    }
  };

  return {
    pid: agentPid,
    async drain(count, argv, path, queuedAhead) {
      const started = nowNs();
      if (queuedAhead) {
        const items = Array.from({ length: count }, () => ({ cmd: [...argv] }));
        await connection.sendRequest(PushItemsRequest.type, { queue: QUEUE, items });
      } else if (path === 'cli') await pushOneCliCallEach(count, argv);
      else if (path === 'batch') await pushBatch(count, argv);
      else {
        const push = (): Promise<unknown> => connection.sendRequest(PushItemsRequest.type, { queue: QUEUE, items: [{ cmd: [...argv] }] });
        await Promise.all(Array.from({ length: count }, push));
      }
      await waitEmpty();
      return Number(nowNs() - started);
    },
    scale,
    async close() {
      attempt.value.close();
      await ws.down();
    },
  };
}
