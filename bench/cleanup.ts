/**
 * Everything the benchmark starts is undone here, in reverse order, even when a scenario throws
 * or the run is interrupted: each supervisor registers how to stop itself, and a final sweep
 * SIGKILLs any process still carrying this run's marker variable in its environment (PM2's God
 * daemon, supervisord and their children all inherit it), then the temporary folder goes.
 */
import { rmSync } from 'node:fs';
import { listPids, readCmdline, readEnviron } from './proc';
import { sleep } from './wait';

/** The environment variable every process started by the benchmark inherits. */
export const MARKER_VARIABLE = 'TASKWARDEN_BENCH_RUN';

interface Step {
  readonly label: string;
  readonly run: () => Promise<void> | void;
}

export class Cleanup {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  /** Registers an undo step; the returned function drops it once it was done another way. */
  add(label: string, run: () => Promise<void> | void): () => void {
    const step: Step = { label, run };
    this.steps.push(step);
    return () => {
      const index = this.steps.indexOf(step);
      if (index >= 0) this.steps.splice(index, 1);
    };
  }

  /** Runs all steps, last registered first, each bounded in time; safe to call twice. */
  runAll(log: (line: string) => void): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop();
        if (step === undefined) break;
        try {
          await Promise.race([
            Promise.resolve(step.run()),
            sleep(45_000).then(() => {
              throw new Error('took over 45 s');
            }),
          ]);
        } catch (error: unknown) {
          log(`cleanup: ${step.label}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}

/** Processes (other than this one) whose environment holds `entry` ("NAME=value"). */
export function findByEnvironment(entry: string): number[] {
  return listPids().filter((pid) => pid !== process.pid && (readEnviron(pid)?.includes(entry) ?? false));
}

/** SIGKILLs every process left with `entry` in its environment; describes what it killed. */
export async function killByEnvironment(entry: string): Promise<string[]> {
  const killed: string[] = [];
  for (let round = 0; round < 3; round++) {
    const pids = findByEnvironment(entry);
    if (pids.length === 0) break;
    for (const pid of pids) {
      killed.push(`${pid} ${readCmdline(pid).slice(0, 100)}`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await sleep(200);
  }
  return killed;
}

/** The final sweep: every process that still carries this run's marker. */
export function sweepMarked(marker: string): Promise<string[]> {
  return killByEnvironment(`${MARKER_VARIABLE}=${marker}`);
}

export function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
