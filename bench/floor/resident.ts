/**
 * A helper process the benchmark keeps running and talks to over stdin/stdout, one reply line
 * per command (the C and Node floors of start/stop, idle and log). Started in its own process
 * group and registered for cleanup.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { killGroup, spawnDetached } from '../exec';
import { isAlive } from '../proc';
import type { BenchContext } from '../subject';
import { sleep } from '../wait';

export class Resident {
  private readonly lines: string[] = [];
  private readonly waiters: Array<(line: string) => void> = [];
  private exited = false;
  private readonly dropCleanup: () => void;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    private readonly label: string,
    context: BenchContext,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    child.on('exit', () => (this.exited = true));
    this.dropCleanup = context.cleanup.add(label, () => this.close());
  }

  static start(context: BenchContext, label: string, argv: readonly string[]): Resident {
    const child = spawnDetached(argv, { env: context.env, stdio: ['pipe', 'pipe', 'inherit'] });
    return new Resident(child as ChildProcessByStdio<Writable, Readable, null>, label, context);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label}: no pid`);
    return this.child.pid;
  }

  send(text: string): void {
    this.child.stdin.write(text);
  }

  /** The next reply line, or an error after `timeoutMs` or if the process died. */
  async nextLine(timeoutMs: number): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return ready;
    if (this.exited) throw new Error(`${this.label} exited`);
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(deliver);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`${this.label}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const deliver = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiters.push(deliver);
    });
  }

  /** Closes stdin (the helpers stop what they run and exit), then SIGKILLs the group if needed. */
  async close(): Promise<void> {
    this.dropCleanup();
    this.child.stdin.end();
    for (let waited = 0; !this.exited && waited < 5000; waited += 20) await sleep(20);
    killGroup(this.child.pid, 'SIGKILL');
  }
}

/** Stops a detached helper: SIGTERM, up to `graceMs` to exit, then SIGKILL of its group. */
export async function stopDetached(pid: number | undefined, graceMs = 5000): Promise<void> {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // the leader is gone; its group may not be
  }
  for (let waited = 0; isAlive(pid) && waited < graceMs; waited += 20) await sleep(20);
  killGroup(pid, 'SIGKILL');
}
