/**
 * The shared machinery of the start/stop and idle scenarios: each subject declares
 * `fleetSize` copies of `stamp FILE` (stopped), and a round starts them all and waits for every
 * stamp, or stops them all and waits until every one of those processes has ended.
 */
import { join } from 'node:path';
import type { BenchConfig, SubjectId } from '../config';
import { hasEnded, identify, type ProcIdentity } from '../proc';
import { StampReader, type Stamp } from '../stampFile';
import type { BenchContext, Fleet, Subject } from '../subject';
import { msBetween, nowNs, pollUntil } from '../wait';
import { prepareEach, type Outcomes } from './outcome';

export interface FleetHandle {
  readonly subject: Subject;
  readonly fleet: Fleet;
  readonly reader: StampReader;
  readonly size: number;
  /** The processes of the last start, to tell when a stop has ended them. */
  running: ProcIdentity[];
}

export interface StartTiming {
  /** Command issued -> the last of the fleet stamped. */
  readonly allMs: number;
  /** Command issued -> the first stamp. */
  readonly firstMs: number;
  /** Command issued -> the command returned. */
  readonly commandMs: number;
}

export interface StopTiming {
  /** Command issued -> every process of the fleet has ended (seen by polling /proc every 5 ms). */
  readonly goneMs: number;
  readonly commandMs: number;
}

export async function prepareFleets(
  context: BenchContext,
  config: BenchConfig,
  subjects: readonly Subject[],
): Promise<{ handles: Map<SubjectId, FleetHandle>; failures: Outcomes<never> }> {
  return prepareEach(
    subjects,
    (subject) => {
      const declare = subject.fleet?.bind(subject);
      if (!declare) return undefined;
      const file = join(context.tempRoot, `fleet-${subject.id}.stamps`);
      return (async (): Promise<FleetHandle> => {
        const fleet = await declare(config.fleetSize, [context.helpers.bin.stamp, file]);
        // Created after declaring: peers start the programs once to declare them.
        return { subject, fleet, reader: new StampReader(file), size: config.fleetSize, running: [] };
      })();
    },
    context.log,
  );
}

/** Starts the whole fleet and waits for all of its stamps. */
export async function startFleet(handle: FleetHandle, timeoutMs = 20_000): Promise<StartTiming> {
  handle.reader.next(); // ignore stamps from before this round
  const seen = new Map<number, Stamp>();
  const t0 = nowNs();
  let commandMs = Number.NaN;
  const command = handle.fleet.startAll().then(() => (commandMs = msBetween(t0, nowNs())));
  const waitAll = pollUntil(
    () => {
      for (const stamp of handle.reader.next()) seen.set(stamp.pid, stamp);
      return seen.size >= handle.size;
    },
    { intervalMs: 2, timeoutMs, what: `${handle.size} stamps` },
  );
  await Promise.all([command, waitAll]);
  const times = [...seen.values()].map((stamp) => msBetween(t0, stamp.ns));
  handle.running = [...seen.keys()].map(identify).filter((id): id is ProcIdentity => id !== null);
  if (handle.running.length < handle.size) throw new Error(`only ${handle.running.length} of ${handle.size} still running`);
  return { allMs: Math.max(...times), firstMs: Math.min(...times), commandMs };
}

/** Stops the whole fleet and waits until each process of the last start has ended. */
export async function stopFleet(handle: FleetHandle, timeoutMs = 60_000): Promise<StopTiming> {
  const t0 = nowNs();
  let commandMs = Number.NaN;
  let goneMs = Number.NaN;
  const command = handle.fleet.stopAll().then(() => (commandMs = msBetween(t0, nowNs())));
  const waitGone = pollUntil(
    () => {
      if (!handle.running.every(hasEnded)) return false;
      goneMs = msBetween(t0, nowNs());
      return true;
    },
    { intervalMs: 5, timeoutMs, what: `${handle.size} processes to end` },
  );
  await Promise.all([command, waitGone]);
  handle.running = [];
  return { goneMs, commandMs };
}
