/**
 * What a part declares about its runs' output (PartModule.outputs): given an
 * id from a client (`web`, `web:0`, `7`), the runs it names and their files,
 * so one core request (outputFollows.ts) serves every part.
 */
import type { RpcFailure } from './rpc';

export interface OutputRun {
  /** The run's id in output lines: `web:0`, `7`. */
  readonly id: string;
  readonly files: { readonly stdout: string; readonly stderr: string };
  /** The run is over: its files will not grow, so there is nothing to follow. */
  readonly finished: boolean;
  /** For a run that can finish (a task, not a daemon): calls `listener` once it has; returns the way to stop listening. */
  onFinished?(listener: () => void): () => void;
  /** For a run whose process is started again (a daemon instance): each restart so far, oldest first. */
  restarts?(): readonly RunRestart[];
}

/** A restart of a run's process: when the one before ended and how (worded, if known), and when the new one started. */
export interface RunRestart {
  /** Null while no new process was stamped (it may be starting, or the run was stopped). */
  readonly at: number | null;
  /** When the previous process ended (the agent's clock): the new one's start entry in a log's time index is stamped after it (timedOutput.ts). */
  readonly previousEnd: number;
  readonly previousExit: string | null;
}

/** Resolves a client's id to runs, or a failure that names what exists. */
export type OutputSources = (id: string) => readonly OutputRun[] | RpcFailure;
