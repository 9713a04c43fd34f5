/**
 * Issue #4, idle cost: all supervisors run their 50 daemons at the same time (idle processes
 * barely disturb each other, and it saves minutes), settle, then each window of N seconds takes
 * the supervisor's utime+stime delta from /proc/PID/stat (CPU % of one core; one clock tick is
 * 1/USER_HZ s) and its VmRSS from /proc/PID/status once a second. The children are not counted.
 */
import type { BenchConfig } from '../config';
import { cpuSeconds, readRssKb } from '../proc';
import type { BenchContext } from '../subject';
import { errorMessage } from '../subject';
import { sleep } from '../wait';
import { startFleet, stopFleet, type FleetHandle } from './fleet';
import { failureReason, type Outcomes } from './outcome';

export interface IdleData {
  /** CPU % of one core, one value per window. */
  readonly cpuPercent: number[];
  /** RSS MB, one sample per second over all windows. */
  readonly rssMb: number[];
}

export async function runIdle(context: BenchContext, config: BenchConfig, fleets: readonly FleetHandle[]): Promise<Outcomes<IdleData>> {
  const outcomes: Outcomes<IdleData> = {};
  const live: Array<{ handle: FleetHandle; pid: number; data: IdleData }> = [];
  for (const handle of fleets) {
    try {
      if (handle.fleet.pid === null) throw new Error('no supervisor process');
      await startFleet(handle);
      live.push({ handle, pid: handle.fleet.pid, data: { cpuPercent: [], rssMb: [] } });
    } catch (error: unknown) {
      outcomes[handle.subject.id] = { ok: false, reason: failureReason(error, handle.fleet.pid) };
    }
  }
  try {
    context.log(`  ${live.length} fleets running; settling ${config.idleSettleS} s`);
    await sleep(config.idleSettleS * 1000);
    for (let window = 1; window <= config.idleWindows; window++) {
      const before = live.map((entry) => cpuSeconds(entry.pid));
      const started = performance.now();
      for (let second = 0; second < config.idleWindowS; second++) {
        await sleep(1000);
        for (const entry of live) {
          const rss = readRssKb(entry.pid);
          if (rss !== null) entry.data.rssMb.push(rss / 1024);
        }
      }
      const elapsedS = (performance.now() - started) / 1000;
      live.forEach((entry, index) => {
        const from = before[index];
        const to = cpuSeconds(entry.pid);
        if (from != null && to !== null) entry.data.cpuPercent.push(((to - from) / elapsedS) * 100);
      });
      context.log(
        `  window ${window}/${config.idleWindows}: ` +
          live.map((entry) => `${entry.handle.subject.label} ${entry.data.cpuPercent.at(-1)?.toFixed(3)} %`).join(', '),
      );
    }
  } finally {
    for (const entry of live) {
      await stopFleet(entry.handle).catch((error: unknown) => context.log(`  stop ${entry.handle.subject.label}: ${errorMessage(error)}`));
    }
  }
  for (const entry of live) outcomes[entry.handle.subject.id] = { ok: true, data: entry.data };
  return outcomes;
}
