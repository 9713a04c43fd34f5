/**
 * Catches a synchronous tasklet that never returns. A busy main thread cannot
 * stop itself, so a worker thread watches a shared slot the round writes
 * before and after each tasklet (no message per tasklet: a round of 100
 * tasklets costs two stores each). Past the time limit plus GRACE_MS the worker
 * tells the agent over a connection of its own which tasklet hung (after the
 * round reports the runner held, agentLink.ts, which it is given as they
 * change), writes a line to stderr, and kills the runner; the agent records the tasklet as timed
 * out and its supervised run starts a new runner, which gets the params of the
 * last round's end back.
 */
import * as fs from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { GroupParams, RunnerRoundEndedParams } from '../../protocol/groups';
import type { RoundReport } from './agentLink';
import type { RoundWatch } from './round';

export const GRACE_MS = 1000;
const CHECK_MS = 200;
const REPORT_TIMEOUT_MS = 2000;

/** Slot layout (Float64Array): [0] index of the running tasklet + 1 (0: none), [1] its start, [2] round, [3] time limit. */
const SLOTS = 4;

interface WatchdogData {
  readonly role: 'taskwarden-group-watchdog';
  readonly workspace: string;
  readonly group: string;
  readonly shared: SharedArrayBuffer;
}

/** The main thread's side: starts the worker (from this same bundle file) and writes the slot. */
export class Watchdog implements RoundWatch {
  private readonly slots: Float64Array;
  private names: readonly string[] = [];
  /** How many held reports the worker has. */
  private held = 0;
  private lastHeld: RoundReport | undefined;
  private readonly worker: Worker;

  constructor(workspace: string, group: string, script: string) {
    const shared = new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT);
    this.slots = new Float64Array(shared);
    const data: WatchdogData = { role: 'taskwarden-group-watchdog', workspace, group, shared };
    this.worker = new Worker(script, { workerData: data, stdout: false, stderr: false });
    this.worker.unref();
  }

  /** The tasklet names in run order and the round about to run, told once per round. */
  beginRound(round: number, names: readonly string[], timeLimitMs: number): void {
    if (names !== this.names) {
      this.names = names;
      this.worker.postMessage({ names });
    }
    this.slots[2] = round;
    this.slots[3] = timeLimitMs;
  }

  enter(name: string, startedAt: number): void {
    this.slots[1] = startedAt;
    this.slots[0] = this.names.indexOf(name) + 1;
  }

  leave(): void {
    this.slots[0] = 0;
  }

  /** The round reports the runner holds now (none once sent): the worker is sent the new ones only. */
  holding(reports: readonly RoundReport[]): void {
    const last = reports[reports.length - 1];
    if (reports.length === this.held && last === this.lastHeld) return;
    // A list that grew gets its new reports; one sent (empty) or trimmed (the agent away) goes whole.
    if (reports.length > this.held) this.worker.postMessage({ add: reports.slice(this.held) });
    else this.worker.postMessage({ held: reports });
    this.held = reports.length;
    this.lastHeld = last;
  }
}

/** Whether this thread is the watchdog worker. */
export function isWatchdogThread(): boolean {
  return !isMainThread && (workerData as WatchdogData | undefined)?.role === 'taskwarden-group-watchdog';
}

/** The worker's side: checks the slot every CHECK_MS. */
export function runWatchdogThread(): void {
  const data = workerData as WatchdogData;
  const slots = new Float64Array(data.shared);
  let names: readonly string[] = [];
  let held: RoundReport[] = [];
  parentPort?.on('message', (message: { names?: readonly string[]; held?: RoundReport[]; add?: readonly RoundReport[] }) => {
    if (message.names !== undefined) names = message.names;
    if (message.held !== undefined) held = message.held;
    if (message.add !== undefined) held.push(...message.add);
  });
  let firing = false;
  setInterval(() => {
    const index = slots[0]! - 1;
    if (firing || index < 0) return;
    const startedAt = slots[1]!;
    const limit = slots[3]!;
    if (Date.now() - startedAt < limit + GRACE_MS) return;
    firing = true;
    const name = names[index] ?? `tasklet #${index + 1}`;
    void hung(data, { name, startedAt, round: slots[2]!, limit }, held);
  }, CHECK_MS);
}

async function hung(
  data: WatchdogData,
  what: { name: string; startedAt: number; round: number; limit: number },
  held: readonly RoundReport[],
): Promise<void> {
  fs.writeSync(2, `[watchdog] ${what.name} did not return within its time limit (${what.limit / 1000} s): restarting the runner\n`);
  const report = (async () => {
    // Loaded only now: until a tasklet hangs, this thread holds no agent client.
    const [{ connectToAgent }, { RunnerHungRequest, RunnerRoundsEndedNotification }] = await Promise.all([
      import('../../cli/agentClient'),
      import('../../protocol/groups'),
    ]);
    const connected = await connectToAgent(data.workspace, 'group-watchdog');
    if (!connected.ok) return;
    // The rounds before this one that the runner held: a fresh connection carries their names and params.
    const rounds = held.map(({ paramsText, ...report }): RunnerRoundEndedParams => ({
      ...report,
      params: JSON.parse(paramsText) as GroupParams,
    }));
    if (rounds.length > 0)
      void connected.value.connection.sendNotification(RunnerRoundsEndedNotification.type, { group: data.group, rounds });
    await connected.value.connection.sendRequest(RunnerHungRequest.type, {
      group: data.group,
      round: what.round,
      name: what.name,
      startedAt: what.startedAt,
      results: [],
    });
    connected.value.close();
  })();
  await Promise.race([report.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, REPORT_TIMEOUT_MS))]);
  process.kill(process.pid, 'SIGKILL');
}
