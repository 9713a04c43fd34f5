/**
 * Readiness of one instance's current process: ready once its probe passed
 * (or it has none) and its start_delay has elapsed since it started. Keeps the
 * offsets the log probe has read up to, so an agent that adopts the process
 * resumes reading where the previous one stopped.
 */
import * as fs from 'node:fs';
import type { DaemonSpec } from './config/spec';
import type { InstanceHost } from './instanceHost';
import type { InstanceLogFiles } from './logs';
import { startProbe, type ProbeHandle } from './readiness';

type Offsets = { stdout: number; stderr: number };

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export class ReadinessTracker {
  ready = false;
  /** Why it is not ready yet, once its probe timed out. */
  problem: string | null = null;
  private probe: ProbeHandle | null = null;
  private delayTimer: NodeJS.Timeout | undefined;
  private probePassed = false;
  private delayPassed = false;
  private start: Offsets = { stdout: 0, stderr: 0 };
  private restoredReady = false;

  constructor(
    private readonly id: string,
    private readonly files: InstanceLogFiles,
    private readonly host: InstanceHost,
    private readonly onChange: () => void,
  ) {}

  /** Called just before a spawn: the new process's output starts at the current file ends. */
  markOffsets(): void {
    this.start = { stdout: sizeOf(this.files.stdout), stderr: sizeOf(this.files.stderr) };
  }

  /** Called before adopting: where the previous agent had read to, and whether it was ready. */
  restoreOffsets(stdout: number, stderr: number, ready: boolean): void {
    this.start = { stdout, stderr };
    this.restoredReady = ready;
  }

  /** Starts tracking a process; `ready` is set at once (without a change callback) when nothing is to wait for. */
  begin(spec: DaemonSpec, startedAt: number, cwd: string, env: Readonly<Record<string, string>>): void {
    this.end();
    if (this.restoredReady) {
      this.restoredReady = false;
      this.ready = true;
      return;
    }
    this.probePassed = spec.ready === null;
    const left = startedAt + spec.startDelayMs - this.host.now();
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
        offsets: this.start,
        cwd,
        env,
        onReady: () => {
          this.start = this.probe?.offsets() ?? this.start;
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

  /** The process is gone (or the agent stops): cancel the probe and timers. */
  end(): void {
    if (this.probe) this.start = this.probe.offsets();
    this.probe?.cancel();
    this.probe = null;
    clearTimeout(this.delayTimer);
    this.ready = false;
    this.problem = null;
  }

  /** Rotation removed the first `removedBytes` of a stream's file (Infinity: all): saved offsets move back with it. */
  rotated(stream: 'stdout' | 'stderr', removedBytes: number): void {
    if (!this.probe) this.start = { ...this.start, [stream]: Math.max(0, this.start[stream] - removedBytes) };
  }

  offsets(): Offsets {
    return this.probe?.offsets() ?? this.start;
  }
}
