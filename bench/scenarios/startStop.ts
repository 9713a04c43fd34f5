/**
 * Issue #4, start and stop of 50 daemons: from the moment the "start all" command is issued
 * (the peers' CLI start-up included: it is what a user waits for) until all 50 children have
 * stamped, and from "stop all" until all 50 have ended (each honours SIGTERM). Rounds alternate
 * between the supervisors.
 */
import type { BenchConfig } from '../config';
import type { BenchContext } from '../subject';
import { sleep } from '../wait';
import { startFleet, stopFleet, type FleetHandle } from './fleet';
import { failureReason, type Outcomes } from './outcome';

export interface StartStopData {
  readonly startAllMs: number[];
  readonly startFirstMs: number[];
  readonly startCommandMs: number[];
  readonly stopGoneMs: number[];
  readonly stopCommandMs: number[];
}

/** Pause between rounds so that one supervisor's after-work does not land in the next's. */
const SETTLE_MS = 500;

export async function runStartStop(
  context: BenchContext,
  config: BenchConfig,
  fleets: readonly FleetHandle[],
): Promise<Outcomes<StartStopData>> {
  const data = new Map<FleetHandle, StartStopData>();
  const failures = new Map<FleetHandle, string>();
  for (const handle of fleets) {
    data.set(handle, { startAllMs: [], startFirstMs: [], startCommandMs: [], stopGoneMs: [], stopCommandMs: [] });
  }
  for (let round = 1; round <= config.startStopRuns; round++) {
    for (const handle of fleets) {
      const samples = data.get(handle);
      if (samples === undefined || failures.has(handle)) continue;
      try {
        const start = await startFleet(handle);
        await sleep(SETTLE_MS);
        const stop = await stopFleet(handle);
        samples.startAllMs.push(start.allMs);
        samples.startFirstMs.push(start.firstMs);
        samples.startCommandMs.push(start.commandMs);
        samples.stopGoneMs.push(stop.goneMs);
        samples.stopCommandMs.push(stop.commandMs);
        context.log(
          `  round ${round}/${config.startStopRuns} ${handle.subject.label}: ` +
            `all running ${start.allMs.toFixed(0)} ms, all gone ${stop.goneMs.toFixed(0)} ms`,
        );
      } catch (error: unknown) {
        const reason = failureReason(error, handle.fleet.pid);
        failures.set(handle, reason);
        context.log(`  ${handle.subject.label}: n/a (${reason})`);
      }
      await sleep(SETTLE_MS);
    }
  }
  const outcomes: Outcomes<StartStopData> = {};
  for (const [handle, samples] of data) {
    const reason = failures.get(handle);
    outcomes[handle.subject.id] = reason === undefined ? { ok: true, data: samples } : { ok: false, reason };
  }
  return outcomes;
}
