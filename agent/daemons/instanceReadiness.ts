/**
 * Readiness of one instance's current process: ready once its probe passed
 * (or it has none) and its start_delay has elapsed since it started. The log
 * probe reads on from the run's saved offsets and writes back how far it read
 * (into the run's record), so an agent that adopts the process resumes reading
 * where the previous one stopped.
 */
import type { SupervisedRun } from '../proc/supervisedRun';
import type { DaemonSpec } from './config/spec';
import type { InstanceHost } from './instanceHost';
import type { InstanceLogFiles } from './logs';
import { startProbe, type ProbeHandle } from './readiness';

export class ReadinessTracker {
  ready = false;
  /** Why it is not ready yet, once its probe timed out. */
  problem: string | null = null;
  private probe: ProbeHandle | null = null;
  private delayTimer: NodeJS.Timeout | undefined;
  private probePassed = false;
  private delayPassed = false;
  private run: SupervisedRun | null = null;
  private restoredReady = false;

  constructor(
    private readonly id: string,
    private readonly files: InstanceLogFiles,
    private readonly host: Pick<InstanceHost<unknown>, 'now' | 'log'>,
    private readonly onChange: () => void,
  ) {}

  /** Called before adopting: whether the process was ready for the previous agent. */
  restoreReady(ready: boolean): void {
    this.restoredReady = ready;
  }

  /**
   * Starts tracking a run (its log probe reads from the run's offsets); `ready`
   * is set at once (without a change callback) when nothing is to wait for.
   */
  begin(run: SupervisedRun, spec: DaemonSpec, cwd: string, env: Readonly<Record<string, string>>): void {
    this.end();
    this.run = run;
    if (this.restoredReady) {
      this.restoredReady = false;
      this.ready = true;
      return;
    }
    this.probePassed = spec.ready === null;
    const left = (run.startedAt ?? this.host.now()) + spec.startDelayMs - this.host.now();
    this.delayPassed = left <= 0;
    this.ready = this.probePassed && this.delayPassed;
    if (!this.delayPassed) {
      this.delayTimer = setTimeout(() => {
        this.delayPassed = true;
        this.update();
      }, left);
    }
    if (spec.ready && !this.probePassed) {
      this.probe = startProbe({
        check: spec.ready,
        files: this.files,
        offsets: run.readOffsets(),
        cwd,
        env,
        onReady: () => {
          this.saveOffsets();
          this.probe = null;
          this.probePassed = true;
          this.problem = null;
          this.update();
        },
        onTimeout: (message) => {
          this.problem = message;
          this.host.log.warn(`${this.id}: ${message}`);
          this.onChange();
        },
      });
    }
  }

  private update(): void {
    const ready = this.probePassed && this.delayPassed;
    if (ready === this.ready) return;
    this.ready = ready;
    this.onChange();
  }

  /** Writes how far the log probe has read into the run (its record is about to be saved). */
  saveOffsets(): void {
    if (this.probe === null || this.run === null) return;
    const read = this.probe.offsets();
    this.run.setOffsets(read.stdout, read.stderr);
  }

  /** The process is gone (or the agent stops): cancel the probe and timers. */
  end(): void {
    this.saveOffsets();
    this.run = null;
    this.probe?.cancel();
    this.probe = null;
    clearTimeout(this.delayTimer);
    this.ready = false;
    this.problem = null;
  }
}
