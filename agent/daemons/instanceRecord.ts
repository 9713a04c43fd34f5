/**
 * What a daemon instance remembers across its runs (and, through the store,
 * across agents): a hold (a user's stop, a crash loop), a pending or finished
 * `once`/`event` run, restarts and the last exit. Also the two views built from
 * it and from the live process: the protocol's `DaemonInstanceInfo` and the
 * store row.
 */
import type { SupervisedRun } from '../proc/supervisedRun';
import type { DaemonExit, DaemonInstanceInfo, DaemonState } from './protocol';
import type { ActiveControl, DaemonSpec } from './config/spec';
import type { InstanceRow } from './store';

/** What is true of the instance right now, besides its record. */
export interface LiveFacts {
  readonly id: string;
  readonly spec: DaemonSpec;
  /** Its started (or adopted) process, until it ends. */
  readonly run: SupervisedRun | null;
  readonly stopping: boolean;
  readonly ready: boolean;
  /** When a backoff ends, or null. */
  readonly backoffUntil: number | null;
  /** Why the ready probe has not passed, once it timed out. */
  readonly probeProblem: string | null;
}

export class InstanceRecord {
  hold: 'user' | 'crashloop' | null = null;
  /** `once`/`event`: a run is asked for and has not finished. */
  pendingRun: boolean;
  completedAt: number | null = null;
  /** Starts after the first one, failed starts included. */
  restarts = 0;
  /** It was started before (the next start counts as a restart). */
  hasRun = false;
  lastExit: DaemonExit | null = null;
  /** A one-line explanation for a user (a crash loop, a failed spawn). */
  message: string | null = null;
  waitingFor: readonly string[] = [];

  constructor(control: ActiveControl) {
    this.pendingRun = control === 'once';
  }

  /** A start, whether the process came up or could not be started. */
  countStart(): void {
    if (this.hasRun) this.restarts += 1;
    this.hasRun = true;
  }

  /** Should a process run, as far as control and holds go (requirements aside)? */
  wants(control: ActiveControl): boolean {
    if (this.hold) return false;
    switch (control) {
      case 'wait':
        return true;
      case 'once':
      case 'event':
        return this.pendingRun;
      case 'suspend':
        return false;
      default: {
        const unreachable: never = control;
        return unreachable;
      }
    }
  }

  /**
   * Takes over a saved row. A finished once/event run stays finished when the
   * spec is the same; one whose process ended while no agent watched has
   * finished too; one whose process still runs is the current run.
   */
  restore(row: InstanceRow, spec: DaemonSpec, live: boolean): void {
    this.restarts = row.restarts;
    this.hasRun = row.restarts > 0 || row.run !== null || live || row.lastExitAt !== null;
    this.hold = row.hold;
    if (row.hold === 'crashloop') this.message = 'crash loop (before the agent restarted); restarting stopped until reset';
    if (row.lastExitAt !== null)
      this.lastExit = { code: row.lastExitCode, signal: row.lastExitSignal, at: row.lastExitAt, reason: row.lastExitReason };
    if (spec.control !== 'once' && spec.control !== 'event') return;
    const sameSpec = row.fingerprint === null || row.fingerprint === spec.fingerprint;
    if (sameSpec && (row.completedAt !== null || (row.run !== null && !live))) {
      this.pendingRun = false;
      this.completedAt = row.completedAt ?? Date.now();
    }
    if (live) this.pendingRun = true;
  }

  state(live: LiveFacts): DaemonState {
    const control = live.spec.control;
    if (live.run) return live.stopping || live.run.stopRequested ? 'stopping' : live.ready ? 'running' : 'starting';
    if (this.hold === 'crashloop') return 'crashloop';
    if (control === 'suspend') return 'suspended';
    if (live.backoffUntil !== null) return 'backoff';
    if (this.wants(control)) return 'waiting';
    if ((control === 'once' || control === 'event') && this.completedAt !== null) return 'exited';
    return 'stopped';
  }

  info(live: LiveFacts): DaemonInstanceInfo {
    return {
      id: live.id,
      task: live.spec.name,
      instance: live.spec.instance,
      state: this.state(live),
      pid: live.run?.identity?.pid ?? null,
      startedAt: live.run?.startedAt ?? null,
      restarts: this.restarts,
      lastExit: this.lastExit,
      ready: live.run !== null && live.ready,
      crashLoop: this.hold === 'crashloop',
      nextStartAt: live.backoffUntil,
      waitingFor: this.waitingFor,
      message: this.message ?? live.probeProblem,
      adopted: live.run?.adopted ?? false,
    };
  }

  /** The store row: what a later agent needs. */
  row(live: LiveFacts): InstanceRow {
    return {
      id: live.id,
      task: live.spec.name,
      instance: live.spec.instance,
      run: live.run?.record() ?? null,
      fingerprint: live.spec.fingerprint,
      ready: live.run !== null && live.ready,
      restarts: this.restarts,
      hold: this.hold,
      completedAt: this.completedAt,
      lastExitCode: this.lastExit?.code ?? null,
      lastExitSignal: this.lastExit?.signal ?? null,
      lastExitAt: this.lastExit?.at ?? null,
      lastExitReason: this.lastExit?.reason ?? null,
    };
  }
}
