/** What was running on the machine around the measurements: load average and busiest processes. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineSnapshot {
  readonly at: string;
  /** 1, 5 and 15 minute load averages. */
  readonly load: number[];
  /** `ps` lines of the busiest other processes. */
  readonly top: string[];
}

/** 1, 5 and 15 minute load averages, two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((value) => Number(value.toFixed(2)));
}

export function snapshot(): MachineSnapshot {
  let top: string[] = [];
  try {
    top = execFileSync('ps', ['-eo', 'pid,pcpu,rss,comm', '--sort=-pcpu'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(1, 6)
      .map((line) => line.trim());
  } catch {
    // ps missing: the load average alone still tells a lot
  }
  return { at: new Date().toISOString(), load: loadAverage(), top };
}

export function describeMachine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, ` + `Node ${process.version}`;
}

export function formatSnapshot(label: string, shot: MachineSnapshot): string {
  return `${label}: load average ${shot.load.join(' ')}; busiest: ${shot.top.join('; ')}`;
}
