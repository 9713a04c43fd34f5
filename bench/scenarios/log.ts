/**
 * Issue #4, log throughput: a producer (`lines BYTES STAMPFILE hold`) writes BYTES of 100-byte
 * lines to stdout as fast as it can, then waits to be stopped. Time runs from the producer's own
 * start stamp until the log file holds all of it (size polled every 10 ms); the supervisor's CPU
 * is its utime+stime delta over that span and its peak RSS is sampled every 100 ms. Runs
 * alternate between the supervisors; each log file is deleted after its run. The producer waits
 * START_DELAY_MS before its stamp, for every supervisor and for `cmd > file` alike, so the command
 * that started it (a CLI starting up and exiting on this 2-core machine) is not measured as
 * log throughput.
 */
import { join } from 'node:path';
import type { BenchConfig, SubjectId } from '../config';
import { cpuSeconds, hasEnded, identify, readRssKb } from '../proc';
import { StampReader } from '../stampFile';
import type { BenchContext, LogTarget, Subject } from '../subject';
import { errorMessage } from '../subject';
import { msBetween, nowNs, pollUntil } from '../wait';
import { failureReason, prepareEach, type Outcomes } from './outcome';

/** Long enough for `taskwarden reload`, `pm2 start` or `supervisorctl start` to have returned. */
const START_DELAY_MS = 1500;

export interface LogData {
  readonly seconds: number[];
  /** Supervisor CPU seconds per run; empty for `cmd > file`. */
  readonly cpuSeconds: number[];
  readonly peakRssMb: number[];
}

interface Target {
  readonly subject: Subject;
  readonly target: LogTarget;
  readonly reader: StampReader;
  readonly data: LogData;
  failure?: string;
}

async function runOnce(target: Target, bytes: number): Promise<number> {
  const supervisor = target.target.pid;
  const cpuBefore = supervisor === null ? null : cpuSeconds(supervisor);
  let peakKb = 0;
  let lastRssAt = 0;
  await target.target.start();
  const stamp = await pollUntil(() => target.reader.next().at(-1), {
    intervalMs: 2,
    timeoutMs: 30_000,
    what: 'the producer to start',
  });
  const producer = identify(stamp.pid);
  await pollUntil(
    () => {
      if (supervisor !== null && Date.now() - lastRssAt >= 100) {
        peakKb = Math.max(peakKb, readRssKb(supervisor) ?? 0);
        lastRssAt = Date.now();
      }
      return target.target.logBytes() >= bytes;
    },
    { intervalMs: 10, timeoutMs: 180_000, what: `${bytes} bytes in the log` },
  );
  const seconds = msBetween(stamp.ns, nowNs()) / 1000;
  const cpuAfter = supervisor === null ? null : cpuSeconds(supervisor);
  target.data.seconds.push(seconds);
  if (cpuBefore !== null && cpuAfter !== null) target.data.cpuSeconds.push(cpuAfter - cpuBefore);
  if (peakKb > 0) target.data.peakRssMb.push(peakKb / 1024);
  await target.target.finish();
  if (producer !== null) {
    await pollUntil(() => hasEnded(producer), { intervalMs: 10, timeoutMs: 30_000, what: 'the producer to stop' });
  }
  return seconds;
}

export async function runLog(context: BenchContext, config: BenchConfig, subjects: readonly Subject[]): Promise<Outcomes<LogData>> {
  const { handles, failures } = await prepareEach(
    subjects,
    (subject) => {
      const declare = subject.logTarget?.bind(subject);
      if (!declare) return undefined;
      const file = join(context.tempRoot, `log-${subject.id}.stamps`);
      const reader = new StampReader(file);
      const argv = [context.helpers.bin.lines, String(config.logBytes), file, 'hold', String(START_DELAY_MS)];
      return declare(argv).then((target): Target => ({
        subject,
        target,
        reader,
        data: { seconds: [], cpuSeconds: [], peakRssMb: [] },
      }));
    },
    context.log,
  );
  const outcomes: Outcomes<LogData> = { ...failures };
  const targets = [...handles.values()];
  try {
    for (let run = 1; run <= config.logRuns; run++) {
      for (const target of targets) {
        if (target.failure !== undefined) continue;
        try {
          const seconds = await runOnce(target, config.logBytes);
          context.log(`  run ${run}/${config.logRuns} ${target.subject.label}: ${seconds.toFixed(2)} s`);
        } catch (error: unknown) {
          target.failure = failureReason(error, target.target.pid);
          context.log(`  ${target.subject.label}: n/a (${target.failure})`);
        }
      }
    }
  } finally {
    for (const target of targets) {
      await target.target.close().catch((error: unknown) => context.log(`  close ${target.subject.label}: ${errorMessage(error)}`));
    }
  }
  for (const target of targets) {
    const id: SubjectId = target.subject.id;
    outcomes[id] = target.failure === undefined ? { ok: true, data: target.data } : { ok: false, reason: target.failure };
  }
  return outcomes;
}
