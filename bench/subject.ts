/**
 * The contract between scenarios and the things they measure. Each supervisor (Taskwarden, a
 * peer, or a floor) implements what it can; a scenario records "n/a (reason)" for a subject that
 * leaves a method out or throws, and goes on with the others.
 */
import type { BuiltHelpers } from './build';
import type { Cleanup } from './cleanup';
import type { SubjectId } from './config';

export type Role = 'subject' | 'peer' | 'floor';

/** What every subject gets: where to put files, the built helpers, the cleanup registry. */
export interface BenchContext {
  readonly repoRoot: string;
  /** A private temporary folder for this run; removed at the end. */
  readonly tempRoot: string;
  readonly helpers: BuiltHelpers;
  readonly cleanup: Cleanup;
  /** Environment for everything the benchmark starts (carries the run's marker). */
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

/** A supervisor that is running; `pid` is the process whose CPU and memory are charged to it. */
export interface Running {
  /** The supervisor's pid, or null when there is none (the `cmd > file` floor). */
  readonly pid: number | null;
  /** Stops the supervisor and everything it started. */
  close(): Promise<void>;
}

/** `count` identical long-running programs, declared and stopped until `startAll`. */
export interface Fleet extends Running {
  /** Asks for all to start; resolves when the command that asks returns (the CLI, for peers). */
  startAll(): Promise<void>;
  /** Asks for all to stop; resolves when that command returns. */
  stopAll(): Promise<void>;
}

/** One program that writes to stdout, captured by the supervisor into a log file. */
export interface LogTarget extends Running {
  /** Starts the producer (not restarted when it ends); resolves when the command returns. */
  start(): Promise<void>;
  /** Bytes in the log file(s) of the current run so far. */
  logBytes(): number;
  /** Stops the producer (it holds after writing) and deletes its log, ready for the next start. */
  finish(): Promise<void>;
}

/** Result of launching tasks one by one (or through a CLI with some concurrency). */
export interface TaskBatch {
  /** First launch -> last finished, ns. */
  readonly wallNs: number;
  /** Each task's launch -> finished, ms; empty when the subject cannot tell. */
  readonly latenciesMs: readonly number[];
  readonly note?: string;
}

export type TaskPath = 'protocol' | 'cli';

/**
 * How items get into a queue: one CLI call per item, one batch call for all, or a protocol
 * request per item (pipelined). Peers and floors have one way; it stands in every row.
 */
export type QueuePath = 'cli' | 'batch' | 'protocol';

/** One queue (one item at a time), ready to take items; `pid` is the queue's server, if any. */
export interface QueueRunner extends Running {
  /**
   * Pushes `count` items of argv and resolves once the last has ended, with the wall time in ns
   * from the first push. With `queuedAhead`, every item is queued before the first one starts
   * (the latency run: no item waits for its own push).
   */
  drain(count: number, argv: readonly string[], path: QueuePath, queuedAhead: boolean): Promise<number>;
  /** `count` items queued in a paused queue: what that adds to the server, and listing them. */
  scale?(count: number, listRuns: number): Promise<QueueScale>;
}

export interface QueueScale {
  readonly rssAddedMb: number;
  /** The whole `queue list --json` command, ms, one sample per run. */
  readonly listCliMs: readonly number[];
  /** The list request through the protocol, ms. */
  readonly listProtocolMs: readonly number[];
  readonly listBytes: number;
}

export interface Subject {
  readonly id: SubjectId;
  readonly label: string;
  readonly role: Role;
  /** Supervises one long-running argv and restarts it at once whenever it exits. */
  keepAlive?(argv: readonly string[]): Promise<Running>;
  /** Declares `count` copies of a long-running argv, stopped. */
  fleet?(count: number, argv: readonly string[]): Promise<Fleet>;
  /** Declares a run-once producer whose stdout goes to the supervisor's log. */
  logTarget?(argv: readonly string[]): Promise<LogTarget>;
  /** Runs argv `count` times as tasks; `path` matters only to Taskwarden. */
  launchTasks?(count: number, argv: readonly string[], path: TaskPath): Promise<TaskBatch>;
  /** A private, empty queue running one item at a time. */
  queue?(): Promise<QueueRunner>;
  /** Starts `count` long-running tasks, each with a feedback file written once; `close` ends them. */
  feedbackTasks?(count: number): Promise<Running>;
}

/** A capability that is missing at run time: becomes "n/a (message)" in the table. */
export class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
