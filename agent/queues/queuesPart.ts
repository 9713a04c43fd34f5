/**
 * The Queues part: process-queue's FIFO command queues run by the agent. It
 * holds each queue's queued items in order and its running ones, starts the
 * next item straight from the previous one's exit (the start record is written
 * after the spawn), records every end in the history, adopts what a previous
 * agent left running, and pushes every change on the `queues` topic.
 *
 * Chained starts: while every slot of a queue is busy, its next item is handed
 * to the spawn helper ahead (`chainNext`), to start the moment the item it is
 * chained to ends; the agent records that end and the new start afterwards.
 * Whatever changes the head or the queue (remove, move, clear, pause, a config
 * change, the agent stopping) first settles the chain (`withChainsSettled`):
 * cancelled in time, the item is queued again; else it has started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { constants as osConstants } from 'node:os';
import type { AgentContext, AppliedConfig, Part, PartHealth } from '../core/part';
import type { Logger } from '../log';
import { DEFAULT_ROTATION_POLICY } from '../proc/logRotation';
import { LogRotator } from '../proc/logRotator';
import { sharedSpawnHelper, type ChainAnchor } from '../proc/spawnHelper';
import type { ProcessIdentity } from '../proc/processIdentity';
import { SupervisedRun, type RunEnd, type RunOptions, type RunStart, type RunStarted } from '../proc/supervisedRun';
import { scanWorkspaceProcesses } from '../proc/workspaceMarker';
import type { QueueItem, QueuesDelta, QueueSummary } from './protocol';
import { defaultQueue, type QueueConfig, type QueuesConfig } from './config/queuesConfig';
import { expandItem } from './expansion';
import { outputFilesOf, retireOutputFile, type OutputFiles } from './outputFiles';
import { QueueEntry } from './queueEntry';
import { QueuedItems } from './queuedItems';
import { QueueStore, type RunRow } from './queueStore';
import { SpareFiles } from './spareFiles';
import { QueueStatsFeed } from './statsFeed';

export interface LiveQueue {
  config: QueueConfig;
  auto: boolean;
  paused: boolean;
  readonly queued: QueuedItems;
  readonly running: Map<string, QueueEntry>;
  done: number;
  failed: number;
  /** Rows of this queue in the store's history, trimmed to `config.historyLimit`. */
  historyRows: number;
  /** Its head item, handed to the spawn helper to start when a running item ends; null when none is. */
  chain: Chain | null;
}

/**
 * A queue's head item claimed and handed to the spawn helper, to start the moment `after`'s
 * process ends. It stays at the head of the queued items (shown queued) until it fires.
 */
interface Chain {
  readonly entry: QueueEntry;
  readonly after: QueueEntry;
  /** `after` ended here: the item has moved to the running ones, its start is coming. */
  fired: boolean;
  /** Settles once the chained start's outcome is handled (started, failed, cancelled, lost). */
  done: Promise<void>;
}

/** A head item claimed to start, or to fail at once (a dependency that failed). */
interface Claimed {
  readonly entry: QueueEntry;
  readonly failure: string | null;
}

/** A head item claimed for a chained start, before it is sent. */
interface ClaimedChain {
  readonly entry: QueueEntry;
  readonly after: QueueEntry;
  readonly anchor: ChainAnchor;
  readonly final: NonNullable<QueueEntry['final']>;
}

/** Grace before SIGKILL when the agent stops its items. */
const STOP_GRACE_MS = 5000;

export class QueuesPart implements Part<QueuesConfig> {
  readonly name = 'queues' as const;
  readonly store: QueueStore;
  readonly log: Logger;
  readonly logsDir: string;
  readonly queues = new Map<string, LiveQueue>();
  /** Every queued or running item by id. */
  readonly live = new Map<string, QueueEntry>();
  config: QueuesConfig = { queues: new Map(), auto: false };
  closing = false;
  private configured = false;
  private readonly rotator: LogRotator;
  /** Output files of trimmed items, for the next items (spareFiles.ts). */
  private readonly spares: SpareFiles;
  private readonly startListeners = new Map<string, Set<() => void>>();
  private readonly endListeners = new Map<string, Set<(item: QueueItem) => void>>();
  private readonly emptyListeners = new Map<string, Set<() => void>>();
  private readonly removedListeners = new Map<string, Set<() => void>>();
  private idCounter = 0;
  /** The item whose end is being recorded while the next ones start (its history row is not written yet). */
  private readonly finishing = new Map<string, QueueEntry>();
  private readonly idPrefix: string;
  /** While above 0, no chain is made: a control is settling them (`withChainsSettled`). */
  private chainHolds = 0;
  /** The agent's environment, read once: every child starts from it (reading process.env costs a call per variable). */
  private readonly baseEnv: Readonly<Record<string, string>> = { ...process.env } as Record<string, string>;

  /**
   * `now` is the clock of the item times the part sets itself (time-queue, the end of an item
   * that never ran, the id prefix); tests inject one. Process start and end times come from the
   * spawn.
   */
  private readonly statsFeed: QueueStatsFeed;

  constructor(
    private readonly context: AgentContext,
    readonly now: () => number = Date.now,
  ) {
    this.idPrefix = now().toString(36);
    this.statsFeed = new QueueStatsFeed(context.stats);
    this.log = context.log.tag('queues');
    this.logsDir = path.join(context.paths.logs, 'queues');
    this.store = new QueueStore(context.db);
    this.spares = new SpareFiles(path.join(this.logsDir, '.spare'));
    const helper = sharedSpawnHelper();
    this.rotator = new LogRotator((message) => this.log.warn(message), {
      linger: helper ? { helper, agentLock: context.paths.lock } : null,
    });
  }

  get workspace(): string {
    return this.context.workspace;
  }

  runOptions(): RunOptions {
    return {
      stopMethod: { kind: 'signal', signal: 'SIGKILL' },
      stopTimeoutMs: STOP_GRACE_MS,
      timeLimitMs: null,
      killGroupOnExit: true,
      now: this.now,
      rotation: { rotator: this.rotator, policy: DEFAULT_ROTATION_POLICY },
    };
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.logsDir, { recursive: true, mode: 0o700 });
    this.spares.load();
    const paused = new Set(this.store.paused());
    const counts = this.store.counts();
    const adopted: Promise<void>[] = [];
    const rows = this.store.loadLive();
    // Claimed rows without a start row: their process, if one started, carries its item's mark.
    const marked = rows.some((row) => row.state === 1 && row.run === null)
      ? markedItems(this.workspace)
      : new Map<string, ProcessIdentity>();
    for (const row of rows) {
      const queue = this.queueOrPlaceholder(row.queue);
      queue.paused = paused.has(row.queue);
      const entry = new QueueEntry(row.id, row.queue, row.pos, row.spec, row.timeQueue);
      this.live.set(entry.id, entry);
      if (row.state === 0) queue.queued.push(entry);
      else if (this.neverChainStarted(row.chainedAfter, marked.has(entry.id))) {
        // Handed to the previous agent's helper, whose predecessor still runs: it never started.
        this.store.unclaim(entry.id);
        queue.queued.push(entry);
      } else adopted.push(this.adopt(queue, entry, row.run ?? this.foundRun(entry, marked.get(entry.id))));
    }
    for (const [name, count] of counts) {
      const queue = this.queueOrPlaceholder(name);
      queue.done = count.done;
      queue.failed = count.failed;
      queue.historyRows = count.done + count.failed;
    }
    for (const name of paused) this.queueOrPlaceholder(name).paused = true;
    await Promise.all(adopted);
  }

  /**
   * A chained claim of a previous agent (`chainedAfter`) whose item carries no process: the
   * helper starts it only on its predecessor's end (and drops it when its agent goes), so while
   * the predecessor (adopted just before it, in queue order) still runs, it never started.
   */
  private neverChainStarted(chainedAfter: string | null, found: boolean): boolean {
    if (chainedAfter === null || found) return false;
    return (this.live.get(chainedAfter)?.run ?? null) !== null;
  }

  /**
   * The run of a claimed item whose start row was not written yet when the previous agent died
   * (queueStore.ts writes it with the next transaction or START_ROW_DELAY_MS later), from the
   * group leader carrying its mark: started now as far as we know.
   */
  private foundRun(entry: QueueEntry, identity: ProcessIdentity | undefined): RunRow | null {
    if (identity === undefined) return null;
    const files = this.outputFiles(entry);
    return {
      pid: identity.pid,
      startTicks: identity.startTime,
      startedAt: this.now(),
      stdoutFile: files.stdoutFile,
      stderrFile: files.stderrFile,
      final: null,
    };
  }

  /** A running row of a previous agent: adopt its process by pid + start time, or record that it ended while down. */
  private async adopt(queue: LiveQueue, entry: QueueEntry, run: RunRow | null): Promise<void> {
    entry.state = 1;
    queue.running.set(entry.id, entry);
    if (run === null) {
      // Claimed but the agent died before the spawn was recorded: it may or may not have started.
      entry.error = 'the agent stopped while this item was starting; its end is unknown';
      this.finish(queue, entry, null);
      return;
    }
    entry.pid = run.pid;
    entry.startTicks = run.startTicks;
    entry.timeStart = run.startedAt;
    entry.stdoutFile = run.stdoutFile;
    entry.stderrFile = run.stderrFile;
    entry.final = run.final;
    const outcome = SupervisedRun.adopt(
      { ...run, outOffset: 0, errOffset: 0 },
      this.runSpec(entry, run.final?.cmd ?? entry.cmd, run.final?.cwd ?? this.workspace, {}),
      this.runOptions(),
    );
    if (!outcome.ok) {
      entry.error = 'ended while the agent was down; exit status unknown';
      this.finish(queue, entry, null);
      return;
    }
    entry.run = outcome.value;
    this.log.info(`adopted queue item ${entry.id} (pid ${run.pid})`);
    void outcome.value.ended.then((end) => this.finish(queue, entry, end));
    return Promise.resolve();
  }

  private queueOrPlaceholder(name: string): LiveQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = {
        config: defaultQueue(name, this.workspace),
        auto: true,
        paused: false,
        queued: new QueuedItems(),
        running: new Map(),
        done: 0,
        failed: 0,
        historyRows: 0,
        chain: null,
      };
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** A chain was expanded with the old config: it is settled first (queued again, or started). */
  applyConfig(config: AppliedConfig<QueuesConfig>): Promise<void> {
    return this.withChainsSettled(() => this.configure(config));
  }

  private configure(config: AppliedConfig<QueuesConfig>): void {
    this.config = config.section;
    for (const [name, queueConfig] of this.config.queues) {
      const queue = this.queueOrPlaceholder(name);
      queue.config = queueConfig;
      queue.auto = false;
    }
    for (const [name, queue] of this.queues) {
      if (!this.config.queues.has(name) && !queue.auto) {
        queue.auto = true;
        queue.config = defaultQueue(name, this.workspace);
      }
    }
    this.configured = true;
    for (const queue of this.queues.values()) this.trimHistory(queue);
    this.publish({ kind: 'queues', queues: this.summaries() });
    for (const name of this.queues.keys()) this.schedule(name);
  }

  /** The queue to push into: configured, known, or created when `settings.queues_auto` allows; null otherwise. */
  queueFor(name: string, create: boolean): LiveQueue | null {
    const known = this.queues.get(name);
    if (known && (!known.auto || this.config.auto || known.queued.length + known.running.size > 0 || !create)) return known;
    if (create && this.config.auto) return this.queueOrPlaceholder(name);
    return null;
  }

  configuredNames(): string[] {
    return [...this.config.queues.keys()];
  }

  newId(): string {
    for (;;) {
      this.idCounter += 1;
      const id = `${this.idPrefix}-${this.idCounter}`;
      if (!this.live.has(id)) return id;
    }
  }

  summary(queue: LiveQueue): QueueSummary {
    return {
      name: queue.config.name,
      workdir: queue.config.workdir,
      concurrency: queue.config.concurrency,
      paused: queue.paused,
      queued: queue.queued.length,
      running: queue.running.size,
      done: queue.done,
      failed: queue.failed,
      auto: queue.auto,
    };
  }

  summaries(): QueueSummary[] {
    return [...this.queues.values()].map((queue) => this.summary(queue));
  }

  /** Starts what may start in this queue: its head items, up to its concurrency, unless paused. */
  schedule(name: string): void {
    const queue = this.queues.get(name);
    if (!queue) return;
    if (!this.mayStart(queue)) {
      this.chainNext(queue, null);
      return;
    }
    this.startClaimed(
      queue,
      this.store.transaction(() => this.claimHeads(queue)),
    );
  }

  private mayStart(queue: LiveQueue): boolean {
    return this.configured && !this.closing && !queue.paused && queue.running.size < queue.config.concurrency && queue.queued.length > 0;
  }

  /**
   * Claims the head items that may start, inside the caller's store transaction (committed
   * before any of them is spawned: a claim is never lost, so an item never runs twice).
   */
  private claimHeads(queue: LiveQueue): Claimed[] {
    const claimed: Claimed[] = [];
    while (this.mayStart(queue)) {
      const head = queue.queued.at(0)!;
      // Handed to the helper already: it starts, or is queued again, when its chain settles.
      if (queue.chain?.entry === head) break;
      const dependencies = this.dependencyState(head);
      if (dependencies.kind === 'waiting') break;
      queue.queued.shift();
      if (!this.store.claim(head.id)) {
        this.live.delete(head.id);
        continue;
      }
      head.state = 1;
      queue.running.set(head.id, head);
      claimed.push({ entry: head, failure: dependencies.kind === 'failed' ? dependencies.error : null });
    }
    return claimed;
  }

  private startClaimed(queue: LiveQueue, claimed: readonly Claimed[]): void {
    for (const { entry, failure } of claimed) {
      if (failure === null) this.launch(queue, entry);
      else {
        entry.error = failure;
        this.failSoon(queue, entry);
      }
    }
  }

  /**
   * Schedules the queues whose head runs `--after` one of these ids (they ended or went): an item
   * may wait for one of another queue, which its own queue's schedule never hears of.
   */
  scheduleWaitingOn(ids: readonly string[]): void {
    for (const [name, queue] of this.queues) {
      const head = queue.queued.at(0);
      if (head !== undefined && head.after.some((id) => ids.includes(id))) this.schedule(name);
    }
  }

  /** `free` to start, `waiting` while a dependency is queued or running, else `failed` with the error. */
  private dependencyState(entry: QueueEntry): { readonly kind: 'free' | 'waiting' } | { readonly kind: 'failed'; readonly error: string } {
    for (const id of entry.after) {
      if (this.live.has(id)) return { kind: 'waiting' };
      const ended = this.finishing.get(id) ?? this.store.lastOf(id);
      if (!ended) return { kind: 'failed', error: `dependency ${id} not found` };
      if (ended.state !== 2) return { kind: 'failed', error: `dependency ${id} failed` };
    }
    return { kind: 'free' };
  }

  private runSpec(entry: QueueEntry, argv: readonly string[], cwd: string, env: Readonly<Record<string, string>>) {
    return {
      id: `queue:${entry.id}`,
      argv,
      cwd,
      env,
      mark: { workspace: this.workspace, run: { part: 'queues', id: entry.id } },
      files: { stdout: entry.stdoutFile ?? '', stderr: entry.stderrFile ?? '' },
    };
  }

  private expand(queue: LiveQueue, entry: QueueEntry) {
    return expandItem({
      id: entry.id,
      cmd: entry.cmd,
      cwd: entry.cwd,
      env: entry.env,
      queueEnv: queue.config.env,
      workdir: queue.config.workdir,
    });
  }

  /** The item's run, its expansion and output files set on the entry. */
  private newRun(entry: QueueEntry, final: NonNullable<QueueEntry['final']>): SupervisedRun {
    entry.final = final;
    Object.assign(entry, this.outputFiles(entry));
    const run = new SupervisedRun(this.runSpec(entry, final.cmd, final.cwd, { ...this.baseEnv, ...final.env }), this.runOptions());
    entry.run = run;
    return run;
  }

  private launch(queue: LiveQueue, entry: QueueEntry): void {
    const expanded = this.expand(queue, entry);
    if (!expanded.ok) {
      entry.error = expanded.error.message;
      this.failSoon(queue, entry);
      return;
    }
    const run = this.newRun(entry, expanded.value);
    void run.start().then((started) => {
      if (started.ok) this.recordStarted(queue, entry, run, started.value);
      else this.failedToStart(queue, entry, started.error.message);
    });
    // While the helper starts this one (the request is written by now).
    this.prepareNext(queue, 0);
  }

  private failedToStart(queue: LiveQueue, entry: QueueEntry, message: string): void {
    entry.run = null;
    entry.error = message;
    this.finish(queue, entry, null);
  }

  /** The item's process started: its start row, the clients, its waiters; then the next item is chained to it. */
  private recordStarted(queue: LiveQueue, entry: QueueEntry, run: SupervisedRun, started: RunStarted): void {
    entry.pid = started.identity.pid;
    entry.startTicks = started.identity.startTime;
    entry.timeStart = started.startedAt;
    void run.ended.then((end) => this.finish(queue, entry, end));
    this.store.recordStart(entry.id, {
      pid: entry.pid,
      startTicks: started.identity.startTime,
      startedAt: started.startedAt,
      stdoutFile: entry.stdoutFile!,
      stderrFile: entry.stderrFile!,
      final: entry.final,
    });
    this.publish({ kind: 'items', items: [entry.record()] });
    this.notify(this.startListeners, entry.id);
    this.chainNext(queue, entry);
  }

  /**
   * Hands the head item to the spawn helper, to start the moment `after` (else the newest
   * running item the helper started) ends: claimed in one transaction, then sent.
   */
  private chainNext(queue: LiveQueue, after: QueueEntry | null): void {
    // No transaction unless there is a chain to claim: a start row waits for the next one (queueStore.ts).
    const candidate = this.chainCandidate(queue, after);
    if (candidate === null) return;
    if (this.store.transaction(() => this.store.claimChained(candidate.entry.id, candidate.after.id))) this.sendChain(queue, candidate);
  }

  /** Claims the head item for a chained start inside the caller's transaction (marked as chained, for the next agent: `start`), or null. */
  private claimChain(queue: LiveQueue, after: QueueEntry | null): ClaimedChain | null {
    const candidate = this.chainCandidate(queue, after);
    return candidate !== null && this.store.claimChained(candidate.entry.id, candidate.after.id) ? candidate : null;
  }

  /**
   * The head item a chained start may take now, expanded, or null. Simple rule: only while every
   * slot is busy, no chain is pending, the queue runs, and the head waits for no `--after` and expands.
   */
  private chainCandidate(queue: LiveQueue, after: QueueEntry | null): ClaimedChain | null {
    if (queue.chain !== null || this.chainHolds > 0 || !this.configured || this.closing || queue.paused) return null;
    if (queue.running.size < queue.config.concurrency) return null;
    const head = queue.queued.at(0);
    if (head === undefined || head.after.length > 0) return null;
    const target = after ?? this.chainTarget(queue);
    const anchor = target?.run?.anchor ?? null;
    if (target === null || anchor === null || !SupervisedRun.canChainAfter(anchor)) return null;
    const expanded = this.expand(queue, head);
    return expanded.ok ? { entry: head, after: target, anchor, final: expanded.value } : null;
  }

  private sendChain(queue: LiveQueue, claimed: ClaimedChain): void {
    const run = this.newRun(claimed.entry, claimed.final);
    const chain: Chain = { entry: claimed.entry, after: claimed.after, fired: false, done: Promise.resolve() };
    queue.chain = chain;
    chain.done = run.startAfter(claimed.anchor).then((started) => this.chainSettled(queue, chain, run, started));
    this.prepareNext(queue, 1);
  }

  /** The running item started last through the live helper (the one a chain can wait for). */
  private chainTarget(queue: LiveQueue): QueueEntry | null {
    let found: QueueEntry | null = null;
    for (const entry of queue.running.values()) if (SupervisedRun.canChainAfter(entry.run?.anchor ?? null)) found = entry;
    return found;
  }

  /** The chained item's turn came: it leaves the queued items for the running ones (once). */
  private fire(queue: LiveQueue, chain: Chain): void {
    if (chain.fired) return;
    chain.fired = true;
    if (queue.chain === chain) queue.chain = null;
    queue.queued.remove(chain.entry);
    chain.entry.state = 1;
    queue.running.set(chain.entry.id, chain.entry);
  }

  private chainSettled(queue: LiveQueue, chain: Chain, run: SupervisedRun, started: RunStart): void {
    const { entry } = chain;
    if (started.ok) {
      this.fire(queue, chain);
      this.recordStarted(queue, entry, run, started.value);
      return;
    }
    switch (started.error.reason) {
      case 'chain-cancelled':
        // Its predecessor's end was handled first: it is its turn all the same.
        if (chain.fired) this.launch(queue, entry);
        else this.unchain(queue, chain);
        return;
      case 'chain-lost': {
        // The helper died: the item may have started (its mark tells), else it starts the usual way.
        const found = markedItems(this.workspace).get(entry.id);
        if (found !== undefined) {
          this.fire(queue, chain);
          void this.adopt(queue, entry, this.foundRun(entry, found));
        } else if (chain.fired) this.launch(queue, entry);
        else this.unchain(queue, chain);
        return;
      }
      default:
        // It was its turn and it could not start (`F`): recorded as any failed start.
        this.fire(queue, chain);
        this.failedToStart(queue, entry, started.error.message);
    }
  }

  /** A chained item that did not start: queued again (at the head, where it stayed), and the queue scheduled. */
  private unchain(queue: LiveQueue, chain: Chain): void {
    if (queue.chain === chain) queue.chain = null;
    chain.entry.run = null;
    chain.entry.final = null;
    this.store.unclaim(chain.entry.id);
    this.schedule(queue.config.name);
  }

  /**
   * Runs `change` with every pending chain settled first and none made meanwhile (a control that
   * changes a head or a queue: remove, move, clear, pause; a config change; the agent stopping),
   * then chains again where it may.
   */
  async withChainsSettled<T>(change: () => T | Promise<T>): Promise<T> {
    this.chainHolds++;
    let result: T | Promise<T>;
    try {
      const pending = [...this.queues.values()].flatMap((queue) => (queue.chain === null ? [] : [queue.chain]));
      for (const chain of pending) void chain.entry.run?.cancelStart();
      await Promise.all(pending.map((chain) => chain.done));
      // Held for the change's synchronous part only: a kill waiting for its item's end holds nothing.
      result = change();
    } finally {
      this.chainHolds--;
      if (this.chainHolds === 0) for (const name of this.queues.keys()) this.schedule(name);
    }
    return result;
  }

  /** Where an item's output goes (outputFiles.ts). */
  outputFiles(entry: QueueEntry): OutputFiles {
    return outputFilesOf(this.logsDir, entry.spec.output ?? entry.id);
  }

  /** A queued item that will not run: its output files, if created ahead, go. */
  dropPrepared(entry: QueueEntry): void {
    if (!entry.filesPrepared) return;
    const files = this.outputFiles(entry);
    for (const file of [files.stdoutFile, files.stderrFile]) this.spares.give(file);
  }

  /**
   * Makes the next item's (empty) output files while the current one runs, off the path from
   * an exit to the next spawn: opening an existing file there is much cheaper than creating one
   * (and a spare costs no inode, spareFiles.ts).
   */
  private prepareNext(queue: LiveQueue, index: number): void {
    const next = queue.queued.at(index);
    if (next === undefined || next.filesPrepared) return;
    next.filesPrepared = true;
    const files = this.outputFiles(next);
    for (const file of [files.stdoutFile, files.stderrFile]) this.spares.place(file);
  }

  /** An item that fails without running ends on the next microtask, so that ends are recorded in the order they happen. */
  private failSoon(queue: LiveQueue, entry: QueueEntry): void {
    queueMicrotask(() => this.finish(queue, entry, null));
  }

  /**
   * Records an item's end (end null: it never ran, or its end is unknown) and starts the next
   * item straight from here: its history row, the trim and the next claims are one commit,
   * before the next spawn; the notifications come after it.
   */
  finish(queue: LiveQueue, entry: QueueEntry, end: RunEnd | null): void {
    queue.running.delete(entry.id);
    this.live.delete(entry.id);
    const chain = queue.chain;
    // Its chained follower took its slot (started by the helper as it was reaped) ...
    const fired = chain?.after === entry ? chain : null;
    if (fired !== null) this.fire(queue, fired);
    // ... or, another item's slot freed, the head should take it: the chain is cancelled first.
    else if (chain !== null && queue.running.size < queue.config.concurrency && this.chainHolds === 0) void chain.entry.run?.cancelStart();
    entry.run = null;
    entry.timeEnd = end?.at ?? this.now();
    if (end !== null) {
      if (entry.killRequested) {
        entry.killed = true;
        entry.exit = -9;
        entry.error ??= this.closing ? 'killed: the agent stopped' : 'killed';
      } else if (end.code !== null) entry.exit = end.code;
      else if (end.signal !== null) entry.exit = -(osConstants.signals[end.signal] ?? 0);
      if (entry.exit !== 0 && entry.error === null) entry.error = `Invalid exit code ${entry.exit}`;
    }
    entry.state = end !== null && entry.exit === 0 && !entry.killed ? 2 : -1;
    if (end !== null) {
      entry.stderr = countLines(entry.stderrFile);
      if (entry.exit === 0 && entry.stderr > 0) entry.warnings.push(`stderr stream has ${entry.stderr} lines.`);
    }
    if (entry.state === 2) queue.done += 1;
    else queue.failed += 1;
    const record = entry.record();
    // The next items start first: their claims are committed before they are spawned.
    this.finishing.set(entry.id, entry);
    this.store.forgetStart(entry.id);
    const claimed = this.mayStart(queue) ? this.store.transaction(() => this.claimHeads(queue)) : [];
    // Items of other queues that run --after this one start (or fail) now too.
    this.scheduleWaitingOn([entry.id]);
    this.finishing.delete(entry.id);
    this.startClaimed(queue, claimed);
    // Then this one's history row and the trim, committed before anyone is told it ended.
    // With the claim of the item chained to the follower that just took its slot: one commit, then it is sent.
    let trimmed: QueueItem[] = [];
    let next: ClaimedChain | null = null;
    try {
      trimmed = this.store.transaction(() => {
        next = fired === null ? null : this.claimChain(queue, fired.entry);
        this.store.recordEnd(record);
        return this.store.trimHistory(queue.config.name, queue.historyRows + 1 - queue.config.historyLimit, this.awaited());
      });
      queue.historyRows += 1 - trimmed.length;
    } catch (error: unknown) {
      // Rolled back: no claim either.
      next = null;
      this.log.error(`recording the end of queue item ${entry.id}: ${(error as Error).message}`);
    }
    if (next !== null) this.sendChain(queue, next);
    this.removeOutputs(trimmed);
    this.publish({ kind: 'ended', item: record });
    this.notify(this.startListeners, entry.id);
    const listeners = this.endListeners.get(entry.id);
    this.endListeners.delete(entry.id);
    this.removedListeners.delete(entry.id);
    for (const listener of listeners ?? []) listener(record);
    this.publish({ kind: 'queues', queues: [this.summary(queue)] });
    this.checkEmpty(queue);
  }

  /** Keeps the queue's newest `history_limit` finished items; the output files of the others go too (rotated pieces and time index included). */
  private trimHistory(queue: LiveQueue): void {
    if (queue.historyRows <= queue.config.historyLimit) return;
    const trimmed = this.store.trimHistory(queue.config.name, queue.historyRows - queue.config.historyLimit, this.awaited());
    queue.historyRows -= trimmed.length;
    this.removeOutputs(trimmed);
  }

  /** The ids queued items run `--after` (in any queue): the trim keeps their ends, or a dependency that ended well would be "not found". */
  private awaited(): Set<string> {
    const ids = new Set<string>();
    for (const queue of this.queues.values()) for (const id of queue.queued.awaited()) ids.add(id);
    return ids;
  }

  /** The output files of items that left the history. */
  private removeOutputs(trimmed: readonly QueueItem[]): void {
    for (const item of trimmed) {
      // An id can come back (pushed again): files a newer run of it uses stay.
      const inUse = new Set<string | null>();
      const live = this.live.get(item.id);
      const last = this.store.lastOf(item.id);
      if (live) {
        const files = this.outputFiles(live);
        inUse.add(files.stdoutFile).add(files.stderrFile);
      }
      if (last) inUse.add(last.stdoutFile).add(last.stderrFile);
      for (const file of [item.stdoutFile, item.stderrFile]) if (file !== null && !inUse.has(file)) retireOutputFile(file, this.spares);
    }
  }

  checkEmpty(queue: LiveQueue): void {
    if (queue.queued.length + queue.running.size > 0) return;
    this.notify(this.emptyListeners, queue.config.name);
  }

  private notify(map: Map<string, Set<() => void>>, key: string): void {
    const listeners = map.get(key);
    map.delete(key);
    for (const listener of listeners ?? []) listener();
  }

  private listen<L>(map: Map<string, Set<L>>, key: string, listener: L): () => void {
    const set = map.get(key) ?? new Set<L>();
    set.add(listener);
    map.set(key, set);
    return () => set.delete(listener);
  }

  whenStarted(id: string, listener: () => void): () => void {
    return this.listen(this.startListeners, id, listener);
  }

  whenEnded(id: string, listener: (item: QueueItem) => void): () => void {
    return this.listen(this.endListeners, id, listener);
  }

  /** Calls `listener` if the queued item goes without running (remove, kill of a queued item, clear). */
  whenRemoved(id: string, listener: () => void): () => void {
    return this.listen(this.removedListeners, id, listener);
  }

  /** Queued items went without running: whoever waits for their start or end hears it, and nothing of theirs is kept. */
  removed(ids: readonly string[]): void {
    for (const id of ids) {
      this.startListeners.delete(id);
      this.endListeners.delete(id);
      this.notify(this.removedListeners, id);
    }
  }

  whenEmpty(queue: string, listener: () => void): () => void {
    return this.listen(this.emptyListeners, queue, listener);
  }

  counts(): Record<string, number> {
    let queued = 0;
    let running = 0;
    for (const queue of this.queues.values()) {
      queued += queue.queued.length;
      running += queue.running.size;
    }
    return { queued, running };
  }

  health(): PartHealth {
    return { summary: this.counts(), problems: [] };
  }

  async stop(options: { readonly keepProcesses: boolean }): Promise<void> {
    this.closing = true;
    // A chained item is queued again (or has started, and is stopped or left with the others).
    await this.withChainsSettled(() => undefined);
    const running = [...this.live.values()].filter((entry) => entry.run !== null);
    if (options.keepProcesses) for (const entry of running) entry.run?.leave();
    else {
      const ends = running.map((entry) => new Promise<void>((resolve) => this.whenEnded(entry.id, () => resolve())));
      for (const entry of running) {
        entry.killRequested = true;
        void entry.run?.stop('killed: the agent stopped');
      }
      await Promise.all(ends);
    }
    this.store.flush();
    this.rotator.close();
  }

  publish(delta: QueuesDelta): void {
    this.context.publish('queues', delta);
    if (delta.kind === 'queues') this.statsFeed.summaries(delta.queues);
  }
}

function countLines(file: string | null): number {
  if (file === null) return 0;
  let text: Buffer;
  try {
    // Most items write no stderr: one stat, not an open, a read and a close.
    if ((fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) === 0) return 0;
    text = fs.readFileSync(file);
  } catch {
    return 0;
  }
  if (text.length === 0) return 0;
  let lines = 0;
  for (let index = text.indexOf(10); index !== -1; index = text.indexOf(10, index + 1)) lines++;
  return text[text.length - 1] === 10 ? lines : lines + 1;
}

/** Queue items' group leaders running in this workspace, by item id (their `TASKWARDEN_RUN=queues:<id>` mark). */
function markedItems(workspace: string): Map<string, ProcessIdentity> {
  const found = new Map<string, ProcessIdentity>();
  for (const marked of scanWorkspaceProcesses(workspace)) {
    if (marked.run?.part === 'queues' && marked.pgid === marked.pid)
      found.set(marked.run.id, { pid: marked.pid, startTime: marked.startTime });
  }
  return found;
}
