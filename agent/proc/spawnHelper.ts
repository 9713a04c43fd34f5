/**
 * The agent's side of the spawn helper (spawner/spawner.c, built into
 * dist/taskwarden-spawner): a small C process that starts children with
 * vfork + execve and reaps them, so the agent never forks itself. Forking a Node
 * process copies its page tables and makes every later write fault; through the
 * helper a start costs the agent a pipe write instead (see spawner.c).
 *
 * One helper serves the whole agent. If it dies, its children run on (they are
 * in sessions of their own): their exits are then watched by pid + start time,
 * and the next start launches a new helper.
 *
 * The helper also knows the log files of the running processes (`keepRotating`)
 * and the agent's lock file: if the agent dies (or leaves with `down --keep`),
 * it stays behind and keeps those files within their caps until a new agent
 * holds the lock or the processes have ended (spawner.c, "linger").
 *
 * A start can be chained to an earlier one (`chain`): the helper starts it the
 * moment the earlier process is reaped, before the agent hears of that end, so
 * a queue's next item waits for no round trip through the agent's event loop.
 * A chained start can be cancelled until it happened (`cancel`).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as fs from 'node:fs';
import { constants } from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ProcessIdentity } from './processIdentity';
import type { ExitInfo, SpawnRequest } from './spawnRequest';
import { watchAdopted } from './stopProcessGroup';
import { withStartingUmask } from './umask';

/** What the helper can start: anything but a user or group switch. */
export type HelperRequest = Omit<SpawnRequest, 'uid' | 'gid'>;

export type HelperOutcome =
  /** `at`: when the helper said it started, on the same clock as the exit's `at` (a fast exit can be read in the same chunk). */
  | {
      readonly kind: 'started';
      readonly identity: ProcessIdentity;
      readonly at: number;
      readonly exited: Promise<ExitInfo>;
      /** What a later start can be chained to (`SpawnHelper.chain`). */
      readonly anchor: ChainAnchor;
    }
  | { readonly kind: 'failed'; readonly step: 'open' | 'spawn'; readonly code: string }
  /** A chained start that was cancelled before it happened. */
  | { readonly kind: 'cancelled' }
  /** The helper is not there (any more): start the process some other way (a chained start: it may or may not have happened). */
  | { readonly kind: 'unavailable' };

/** A process the helper started, as a later start names it to be chained to it. */
export interface ChainAnchor {
  readonly helper: object;
  readonly seq: number;
}

/** How a cancel of a chained start ended: it never starts, it started (or failed) first, or the helper died. */
export type ChainCancel = 'cancelled' | 'started' | 'gone';

/** A chained start: its outcome, a cancel while it waits, and its own anchor (a start can be chained to it at once). */
export interface ChainedStart {
  readonly outcome: Promise<HelperOutcome>;
  cancel(): Promise<ChainCancel>;
  readonly anchor: ChainAnchor | null;
}

/** Where the compiled helper is looked for; `TASKWARDEN_SPAWNER=off` disables it, a path overrides it. */
export function locateSpawner(): string | null {
  const setting = process.env.TASKWARDEN_SPAWNER;
  if (setting === 'off') return null;
  const candidates = setting
    ? [setting]
    : [path.join(__dirname, 'taskwarden-spawner'), path.join(__dirname, '../../dist/taskwarden-spawner')];
  return candidates.find(isExecutable) ?? null;
}

/** An installed extension may have lost the executable bit on the way (a .vsix is a zip): restore it if we can. */
function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    try {
      fs.chmodSync(file, 0o755);
      return true;
    } catch {
      return false;
    }
  }
}

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, value]) => [value, name]));
const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, value]) => [value, name as NodeJS.Signals]));

/** Helpers that died in a row before the agent gives up on them and starts processes itself. */
const MAX_HELPER_FAILURES = 3;

interface Pending {
  readonly resolve: (outcome: HelperOutcome) => void;
  /** Waits for another process's end: it does not keep the event loop alive. */
  readonly chained: boolean;
}

interface Child {
  readonly identity: ProcessIdentity;
  readonly resolve: (exit: ExitInfo) => void;
}

class HelperProcess {
  private readonly process: ChildProcessByStdio<Writable, Readable, null>;
  private readonly pending = new Map<number, Pending>();
  private readonly children = new Map<number, Child>();
  private readonly cancels = new Map<number, (answer: ChainCancel) => void>();
  private waitingStarts = 0;
  private nextSeq = 1;
  private partialLine = '';
  alive = true;

  constructor(
    executable: string,
    private readonly onGone: () => void,
  ) {
    // The helper hands the umask it starts with on to every child (spawner.c).
    this.process = withStartingUmask(() => spawn(executable, [], { stdio: ['pipe', 'pipe', 'inherit'] }));
    this.process.stdout.setEncoding('latin1');
    this.process.stdout.on('data', (chunk: string) => this.receive(chunk));
    this.process.stdin.on('error', () => undefined);
    this.process.on('error', () => this.gone());
    // 'close', not 'exit': every line the helper wrote is read first, so a start it
    // reported is never mistaken for a lost one (and started a second time).
    this.process.on('close', () => this.gone());
    this.process.unref();
    this.updateRef();
  }

  /** Requests without an answer (L, W, U: see spawner.c), in one write. */
  tell(...requests: readonly (readonly string[])[]): void {
    const valid = requests.filter((fields) => !fields.some((field) => field.includes('\0')));
    if (valid.length > 0) this.process.stdin.write(valid.map((fields) => fields.join('\0') + '\0').join(''));
  }

  /** Starts a process now, or (`after`: a seq of this helper) once the process of that request has ended. */
  request(request: HelperRequest, after?: number): { readonly seq: number; readonly outcome: Promise<HelperOutcome> } {
    const fields = [request.cwd, request.stdoutFile, request.stderrFile, request.argv0 ?? ''];
    const env = Object.entries(request.env).map(([name, value]) => `${name}=${value}`);
    const all = [...fields, ...request.argv, ...env];
    if (all.some((field) => field.includes('\0')))
      return { seq: 0, outcome: Promise.resolve({ kind: 'failed', step: 'spawn', code: 'EINVAL' }) };
    const seq = this.nextSeq++;
    const record = [String(seq), ...fields, String(request.argv.length), ...request.argv, String(env.length), ...env];
    const chain = after === undefined ? [] : ['C', String(after)];
    const outcome = new Promise<HelperOutcome>((resolve) => {
      this.pending.set(seq, { resolve, chained: after !== undefined });
      if (after === undefined) this.waitingStarts++;
      this.updateRef();
      this.process.stdin.write([...chain, ...record].join('\0') + '\0');
    });
    return { seq, outcome };
  }

  /** Cancels the chained start `seq` if it has not happened yet. */
  cancel(seq: number): Promise<ChainCancel> {
    if (!this.alive) return Promise.resolve('gone');
    if (!this.pending.has(seq)) return Promise.resolve('started');
    return new Promise((resolve) => {
      this.cancels.set(seq, resolve);
      this.tell(['K', String(seq)]);
    });
  }

  private receive(chunk: string): void {
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.handle(line.split(' '));
    this.updateRef();
  }

  private handle([kind, first = '', second = '', third = '']: string[]): void {
    if (kind === 'K') {
      const seq = Number(first);
      const cancelled = second === '1';
      if (cancelled) this.settle(seq, { kind: 'cancelled' });
      this.cancels.get(seq)?.(cancelled ? 'cancelled' : 'started');
      this.cancels.delete(seq);
      return;
    }
    if (kind === 'X') {
      const pid = Number(first);
      const child = this.children.get(pid);
      if (!child) return;
      this.children.delete(pid);
      child.resolve({ code: second === '-' ? null : Number(second), signal: SIGNAL_NAMES.get(Number(third)) ?? null, at: Date.now() });
      return;
    }
    const seq = Number(first);
    if (kind === 'S') {
      const identity = { pid: Number(second), startTime: Number(third) };
      const exited = new Promise<ExitInfo>((resolve) => this.children.set(identity.pid, { identity, resolve }));
      this.settle(seq, { kind: 'started', identity, at: Date.now(), exited, anchor: { helper: this, seq } });
    } else {
      this.settle(seq, {
        kind: 'failed',
        step: third === 'open' ? 'open' : 'spawn',
        code: ERRNO_NAMES.get(Number(second)) ?? `errno ${second}`,
      });
    }
  }

  private settle(seq: number, outcome: HelperOutcome): void {
    const pending = this.pending.get(seq);
    if (!pending) return;
    this.pending.delete(seq);
    if (!pending.chained) this.waitingStarts--;
    pending.resolve(outcome);
  }

  /** Keeps the event loop alive only while a start is being answered, like a plain spawn (a chained one waits on its own time). */
  private updateRef(): void {
    const stdout = this.process.stdout as Readable & { ref?: () => void; unref?: () => void };
    if (this.waitingStarts > 0) stdout.ref?.();
    else stdout.unref?.();
  }

  private gone(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const pending of this.pending.values()) pending.resolve({ kind: 'unavailable' });
    this.pending.clear();
    this.waitingStarts = 0;
    for (const resolve of this.cancels.values()) resolve('gone');
    this.cancels.clear();
    // No one reaps these for us any more: watch them like adopted processes.
    for (const child of this.children.values()) {
      void watchAdopted(child.identity, 100).gone.then(() => child.resolve({ code: null, signal: null, at: Date.now() }));
    }
    this.children.clear();
    this.onGone();
  }
}

/** A log file for the helper to rotate once the agent is gone, while the process writing it lives. */
export interface LingerWatch {
  readonly file: string;
  readonly maxBytes: number;
  readonly keep: number;
  readonly writer: ProcessIdentity;
}

/** Starts processes through the helper, replacing it when it dies (up to a limit). */
export class SpawnHelper {
  private current: HelperProcess | null = null;
  private failures = 0;
  private agentLock: string | null = null;
  private readonly watches = new Map<string, LingerWatch>();

  constructor(private readonly executable: string) {}

  /** The live helper, started (and told what a dead one knew) when there is none. */
  private helper(): HelperProcess {
    if (this.current === null || !this.current.alive) {
      const started = new HelperProcess(this.executable, () => {
        this.failures++;
        // A replacement keeps watching the log files, even if nothing is started for a while.
        if (this.watches.size > 0 && this.failures < MAX_HELPER_FAILURES) setImmediate(() => this.current === started && this.helper());
      });
      this.current = started;
      if (this.agentLock !== null) started.tell(['L', this.agentLock]);
      started.tell(...[...this.watches.values()].map(watchFields));
    }
    return this.current;
  }

  /** The agent's lock file: a helper that outlives the agent stops when another agent holds it. */
  setAgentLock(file: string): void {
    this.agentLock = file;
    if (this.current?.alive) this.current.tell(['L', file]);
  }

  /** Rotate this file if the agent goes away, while its writer lives (replaces an earlier watch of the file). */
  keepRotating(...watches: readonly LingerWatch[]): void {
    for (const watch of watches) this.watches.set(watch.file, watch);
    if (this.failures < MAX_HELPER_FAILURES) this.helper().tell(...watches.map(watchFields));
  }

  stopRotating(...files: readonly string[]): void {
    const known = files.filter((file) => this.watches.delete(file));
    if (known.length > 0 && this.current?.alive) this.current.tell(...known.map((file) => ['U', file]));
  }

  /** A helper that died while (or just before) being asked is replaced and asked again. */
  async start(request: HelperRequest): Promise<HelperOutcome> {
    while (this.failures < MAX_HELPER_FAILURES) {
      const outcome = await this.helper().request(request).outcome;
      if (outcome.kind === 'started') this.failures = 0;
      if (outcome.kind !== 'unavailable') return outcome;
    }
    return { kind: 'unavailable' };
  }

  /** True while a start can be chained to `anchor`: the helper that started it is the live one. */
  canChain(anchor: ChainAnchor | null): boolean {
    return anchor !== null && anchor.helper === this.current && this.current.alive;
  }

  /**
   * Starts `request` once the process of `anchor` has ended (at once if it has). Never started
   * again elsewhere: if the helper dies first the outcome is `unavailable`, and the caller
   * decides (the process may or may not have started).
   */
  chain(request: HelperRequest, anchor: ChainAnchor): ChainedStart {
    const helper = this.current;
    if (helper === null || !this.canChain(anchor))
      return { outcome: Promise.resolve({ kind: 'unavailable' }), cancel: () => Promise.resolve('gone'), anchor: null };
    const { seq, outcome } = helper.request(request, anchor.seq);
    return { outcome, cancel: () => helper.cancel(seq), anchor: { helper, seq } };
  }
}

function watchFields(watch: LingerWatch): string[] {
  return ['W', watch.file, String(watch.maxBytes), String(watch.keep), String(watch.writer.pid), String(watch.writer.startTime)];
}

let shared: SpawnHelper | null | undefined;

/** The agent's helper, or null when there is none (not compiled, or disabled). */
export function sharedSpawnHelper(): SpawnHelper | null {
  if (shared === undefined) {
    const executable = locateSpawner();
    shared = executable === null ? null : new SpawnHelper(executable);
  }
  return shared;
}
