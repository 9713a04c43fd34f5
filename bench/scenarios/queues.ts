/**
 * Issue #11 (Queues), next to task-spooler and nq, the bare Node spawn loop and the C fork loop:
 * 1. Throughput: `queueItems` items of /bin/true through one queue, one at a time; items/s from the
 *    first push to the last end. Taskwarden three ways: (a) one CLI call per item from a bash loop
 *    (on `queueCliItems` items: each call starts Node, so it cannot win), (b) one `--stdin` batch,
 *    (c) protocol requests. The peers push one call of their C client per item (their only way),
 *    the floors have no push at all; their figure stands in all three rows.
 * 2. Latency: `queueLatencyItems` items of `stamp FILE end`, all queued before the first starts;
 *    each gap is the next item's first-instruction stamp minus the previous item's last-instruction
 *    stamp (CLOCK_MONOTONIC, written by the children themselves): exit, reaping, the queue's own
 *    work and the next fork/exec.
 * 3. Scale (Taskwarden only): `queueScaleItems` items queued in a paused queue: agent RSS added,
 *    `queue list --json` (the whole command) and the list request through the protocol.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from '../config';
import type { BenchContext, QueuePath, QueueRunner, QueueScale, Subject } from '../subject';
import { errorMessage } from '../subject';
import { failed, type Outcomes } from './outcome';

export interface QueueThroughput {
  /** Items per second, one sample per run. */
  readonly perSecond: number[];
  readonly items: number;
}

export interface QueuesData {
  readonly throughput: Partial<Record<QueuePath, QueueThroughput>>;
  /** Previous item's last instruction → next item's first instruction, ms. */
  readonly gapsMs: number[];
  readonly scale?: QueueScale;
}

export const QUEUE_PATHS: readonly QueuePath[] = ['cli', 'batch', 'protocol'];
const TRUE_ARGV = ['/bin/true'];

/** Gaps between consecutive items from a stamp file of "<pid> <ns>" and "<pid> <ns> end" lines; the last `count` starts only. */
export function stampGaps(text: string, count: number): number[] {
  const starts: Array<{ pid: string; ns: bigint }> = [];
  const ends = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const [pid, ns, end] = line.split(' ');
    if (pid === undefined || ns === undefined || ns === '') continue;
    if (end === 'end') ends.set(pid, BigInt(ns));
    else starts.push({ pid, ns: BigInt(ns) });
  }
  const measured = starts.slice(-count);
  const gaps: number[] = [];
  for (let index = 1; index < measured.length; index++) {
    const previousEnd = ends.get(measured[index - 1]!.pid);
    if (previousEnd !== undefined) gaps.push(Number(measured[index]!.ns - previousEnd) / 1e6);
  }
  return gaps;
}

async function measure(context: BenchContext, config: BenchConfig, subject: Subject, runner: QueueRunner): Promise<QueuesData> {
  const throughput: Partial<Record<QueuePath, QueueThroughput>> = {};
  const paths: readonly QueuePath[] = subject.role === 'subject' ? QUEUE_PATHS : ['cli'];
  for (let run = 0; run < config.queueRuns; run++) {
    for (const path of paths) {
      const items = subject.role === 'subject' && path === 'cli' ? config.queueCliItems : config.queueItems;
      const wallNs = await runner.drain(items, TRUE_ARGV, path, false);
      const entry = (throughput[path] ??= { perSecond: [], items });
      entry.perSecond.push(items / (wallNs / 1e9));
      const how = subject.role === 'subject' ? ` (${path})` : '';
      context.log(`  ${subject.label}${how}: ${(items / (wallNs / 1e9)).toFixed(0)} items/s`);
    }
  }
  if (subject.role !== 'subject') for (const path of QUEUE_PATHS) throughput[path] = throughput.cli;

  const stamps = join(context.tempRoot, `queue-latency-${subject.id}.stamps`);
  await runner.drain(config.queueLatencyItems, [context.helpers.bin.stamp, stamps, 'end'], 'protocol', true);
  const gapsMs = existsSync(stamps) ? stampGaps(readFileSync(stamps, 'utf8'), config.queueLatencyItems) : [];
  if (gapsMs.length < config.queueLatencyItems - 1) {
    throw new Error(`latency: ${gapsMs.length + 1} of ${config.queueLatencyItems} items stamped`);
  }
  const sorted = [...gapsMs].sort((a, b) => a - b);
  context.log(`  ${subject.label}: end → next start p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} ms`);

  const scale = runner.scale ? await runner.scale(config.queueScaleItems, config.queueListRuns) : undefined;
  if (scale) {
    const listed = [...scale.listCliMs].sort((a, b) => a - b)[Math.floor(scale.listCliMs.length / 2)] ?? Number.NaN;
    context.log(
      `  ${subject.label}: ${config.queueScaleItems} queued: +${scale.rssAddedMb.toFixed(1)} MB, list --json ${listed.toFixed(0)} ms`,
    );
  }
  return { throughput, gapsMs, ...(scale ? { scale } : {}) };
}

export async function runQueues(context: BenchContext, config: BenchConfig, subjects: readonly Subject[]): Promise<Outcomes<QueuesData>> {
  const outcomes: Outcomes<QueuesData> = {};
  for (const subject of subjects) {
    if (!subject.queue) continue;
    let runner: QueueRunner | undefined;
    try {
      runner = await subject.queue();
      outcomes[subject.id] = { ok: true, data: await measure(context, config, subject, runner) };
    } catch (error: unknown) {
      context.log(`  ${subject.label}: n/a (${errorMessage(error)})`);
      outcomes[subject.id] = failed(error);
    } finally {
      await runner?.close().catch((error: unknown) => context.log(`  close ${subject.label}: ${errorMessage(error)}`));
    }
  }
  return outcomes;
}
