/**
 * What a supervised start asks for and how a process ended: the shapes shared
 * by the two ways of starting a process (spawnSupervised.ts through Node, and
 * spawnHelper.ts through the native helper).
 */

export interface SpawnRequest {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Appended to (created if missing). */
  readonly stdoutFile: string;
  readonly stderrFile: string;
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  /** The argv[0] the process sees, when not the command itself (taskforce's `procname`). */
  readonly argv0?: string | undefined;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly at: number;
}
