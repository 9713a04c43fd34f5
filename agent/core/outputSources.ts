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
}

/** Resolves a client's id to runs, or a failure that names what exists. */
export type OutputSources = (id: string) => readonly OutputRun[] | RpcFailure;
