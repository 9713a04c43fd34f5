/**
 * Issue #3, restart latency: SIGKILL the supervised `stamp`, and time from just before the kill
 * to the replacement's own CLOCK_MONOTONIC stamp (so the figure does not depend on how often
 * the file is polled). Kills come after a random gap, in blocks interleaved between the
 * supervisors so that a noisy minute hits all of them; the supervisor's CPU per restart is its
 * utime+stime over a block divided by the kills.
 */
import { join } from 'node:path';
import type { BenchConfig, SubjectId } from '../config';
import { cpuSeconds, hasEnded, identify, type ProcIdentity } from '../proc';
import { StampReader } from '../stampFile';
import { summarize } from '../stats';
import type { BenchContext, Running, Subject } from '../subject';
import { msBetween, nowNs, pollUntil, sleep } from '../wait';
import { failureReason, prepareEach, type Outcomes } from './outcome';

export interface RestartData {
  readonly latenciesMs: number[];
  /** Supervisor CPU ms per restart, one value per block. */
  readonly cpuMsPerRestart: number[];
  /** Kills after which no replacement stamped within the timeout. */
  timeouts: number;
  /** Starts nobody asked for: stamps that appeared between kills (should stay 0). */
  unexpectedStarts: number;
}

const REPLACEMENT_TIMEOUT_MS = 5000;
const GIVE_UP_AFTER_TIMEOUTS = 3;

interface Probe {
  readonly subject: Subject;
  readonly running: Running;
  readonly reader: StampReader;
  /** The last stamped process, identified when its stamp was read (pids get reused quickly). */
  current: ProcIdentity | null;
  readonly data: RestartData;
  failure?: string;
}

async function prepare(context: BenchContext, subject: Subject): Promise<Probe> {
  if (!subject.keepAlive) throw new Error('cannot keep a process alive');
  const file = join(context.tempRoot, `restart-${subject.id}.stamps`);
  const reader = new StampReader(file);
  const running = await subject.keepAlive([context.helpers.bin.stamp, file]);
  try {
    const first = await pollUntil(() => reader.next().at(-1), { intervalMs: 5, timeoutMs: 15_000, what: 'the first stamp' });
    return {
      subject,
      running,
      reader,
      current: identify(first.pid),
      data: { latenciesMs: [], cpuMsPerRestart: [], timeouts: 0, unexpectedStarts: 0 },
    };
  } catch (error: unknown) {
    await running.close();
    throw error;
  }
}

/**
 * Finds the process to kill: normally the last replacement, but a supervisor may have started
 * another one since (counted as unexpected), or one may be on its way.
 */
async function currentVictim(probe: Probe): Promise<ProcIdentity> {
  const since = probe.reader.next();
  probe.data.unexpectedStarts += since.length;
  const last = since.at(-1);
  if (last) probe.current = identify(last.pid);
  if (probe.current !== null && !hasEnded(probe.current)) return probe.current;
  const late = await pollUntil(
    () => {
      const stamp = probe.reader.next().at(-1);
      return stamp ? (identify(stamp.pid) ?? undefined) : undefined;
    },
    { intervalMs: 5, timeoutMs: REPLACEMENT_TIMEOUT_MS, what: 'a replacement for a process that ended on its own' },
  );
  probe.data.unexpectedStarts++;
  probe.current = late;
  return late;
}

/** One kill; returns the latency in ms, or null when no replacement came in time. */
async function killOnce(probe: Probe): Promise<number | null> {
  // Checked alive just now by pid + start time: never a pid reused by an unrelated process.
  const victim = await currentVictim(probe);
  const t0 = nowNs();
  process.kill(victim.pid, 'SIGKILL');
  try {
    const stamps = await pollUntil(
      () => {
        const fresh = probe.reader.next();
        return fresh.length > 0 ? fresh : undefined;
      },
      { intervalMs: 1, timeoutMs: REPLACEMENT_TIMEOUT_MS, what: 'a replacement' },
    );
    const replacement = stamps.find((stamp) => stamp.pid !== victim.pid);
    const last = stamps.at(-1);
    probe.current = last ? identify(last.pid) : null;
    return replacement ? msBetween(t0, replacement.ns) : null;
  } catch {
    return null;
  }
}

async function runBlock(probe: Probe, config: BenchConfig): Promise<void> {
  const supervisor = probe.running.pid;
  const cpuBefore = supervisor === null ? null : cpuSeconds(supervisor);
  let restarts = 0;
  for (let kill = 0; kill < config.killsPerBlock; kill++) {
    await sleep(config.gapMinMs + Math.random() * (config.gapMaxMs - config.gapMinMs));
    const latency = await killOnce(probe);
    if (latency === null) {
      probe.data.timeouts++;
      if (probe.data.timeouts >= GIVE_UP_AFTER_TIMEOUTS) {
        const timeouts = `no replacement within ${REPLACEMENT_TIMEOUT_MS} ms after ${probe.data.timeouts} kills`;
        probe.failure = failureReason(timeouts, probe.running.pid);
        return;
      }
      // Wait for a late replacement before the next kill.
      const late = await pollUntil(() => probe.reader.next().at(-1), {
        intervalMs: 50,
        timeoutMs: 10_000,
        what: 'a late replacement',
      }).catch(() => undefined);
      if (late) probe.current = identify(late.pid);
      continue;
    }
    probe.data.latenciesMs.push(latency);
    restarts++;
  }
  const cpuAfter = supervisor === null ? null : cpuSeconds(supervisor);
  if (cpuBefore !== null && cpuAfter !== null && restarts > 0) {
    probe.data.cpuMsPerRestart.push(((cpuAfter - cpuBefore) * 1000) / restarts);
  }
}

export async function runRestart(context: BenchContext, config: BenchConfig, subjects: readonly Subject[]): Promise<Outcomes<RestartData>> {
  const { handles, failures } = await prepareEach(
    subjects,
    (subject) => (subject.keepAlive ? prepare(context, subject) : undefined),
    context.log,
  );
  const outcomes: Outcomes<RestartData> = { ...failures };
  const probes = [...handles.values()];
  try {
    for (let block = 1; block <= config.restartBlocks; block++) {
      for (const probe of probes) {
        if (probe.failure !== undefined) continue;
        try {
          await runBlock(probe, config);
        } catch (error: unknown) {
          probe.failure = failureReason(error, probe.running.pid);
        }
        const recent = summarize(probe.data.latenciesMs.slice(-config.killsPerBlock));
        const unexpected = probe.data.unexpectedStarts > 0 ? `, ${probe.data.unexpectedStarts} unexpected starts` : '';
        context.log(
          `  block ${block}/${config.restartBlocks} ${probe.subject.label}: ` +
            (probe.failure ?? `median ${recent?.median.toFixed(2) ?? '?'} ms${unexpected}`),
        );
      }
    }
  } finally {
    for (const probe of probes) {
      await probe.running.close().catch((error: unknown) => context.log(`  close ${probe.subject.label}: ${String(error)}`));
    }
  }
  for (const probe of probes) {
    const id: SubjectId = probe.subject.id;
    outcomes[id] = probe.failure !== undefined ? { ok: false, reason: probe.failure } : { ok: true, data: probe.data };
  }
  return outcomes;
}
