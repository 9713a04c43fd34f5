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
