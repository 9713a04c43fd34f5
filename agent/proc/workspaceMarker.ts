/**
 * Every process the agent starts carries its workspace in its environment
 * (`TASKWARDEN_WORKSPACE=<folder>`) and, when it is a part's run, that run
 * (`TASKWARDEN_RUN=<part>:<id>`: `daemons:web:0`, `tasks:7`, `queues:build-3`).
 * Children inherit the environment, so the marker finds a workspace's
 * processes even when the store never heard of them (an agent killed between
 * a spawn and the write of its row): adoption and `taskwarden down` with no
 * agent scan for it. One variable for every part: a run started from inside
 * another (a task launched from a daemon's shell) replaces the mark it
 * inherited, and the core names no part.
 */
import * as fs from 'node:fs';
import { readProcStat } from './processIdentity';

export const WORKSPACE_VARIABLE = 'TASKWARDEN_WORKSPACE';
export const RUN_VARIABLE = 'TASKWARDEN_RUN';

/** A part's run, as its mark names it. */
export interface MarkedRun {
  readonly part: string;
  readonly id: string;
}

/** The marker of one process: its workspace, and the run it is, if any. */
export interface WorkspaceMark {
  readonly workspace: string;
  readonly run: MarkedRun | null;
}

function runValue(run: MarkedRun): string {
  return `${run.part}:${run.id}`;
}

/** The run a `TASKWARDEN_RUN` value names, or null when it is not `<part>:<id>`. */
export function parseRunMark(value: string | null): MarkedRun | null {
  const colon = value?.indexOf(':') ?? -1;
  if (value === null || colon <= 0 || colon === value.length - 1) return null;
  return { part: value.slice(0, colon), id: value.slice(colon + 1) };
}

/**
 * `env` with the marker. An `env` that carries it already is returned as it is,
 * so an owner that starts the same process often (a daemon's restarts) builds
 * it once, not on every start. A run mark `env` inherited is replaced (or
 * removed, for a process that is no run).
 */
export function markedEnvironment(env: Readonly<Record<string, string>>, mark: WorkspaceMark): Readonly<Record<string, string>> {
  const run = mark.run === null ? undefined : runValue(mark.run);
  if (env[WORKSPACE_VARIABLE] === mark.workspace && env[RUN_VARIABLE] === run) return env;
  const marked: Record<string, string> = { ...env, [WORKSPACE_VARIABLE]: mark.workspace };
  if (run === undefined) delete marked[RUN_VARIABLE];
  else marked[RUN_VARIABLE] = run;
  return marked;
}

/** A live process carrying a workspace's marker. */
export interface MarkedProcess {
  readonly pid: number;
  readonly startTime: number;
  /** Its process group; equal to pid for the process the agent started (a group leader). */
  readonly pgid: number;
  /** The part's run it belongs to, if any. */
  readonly run: MarkedRun | null;
}

function valueOf(variables: readonly string[], name: string): string | null {
  const prefix = `${name}=`;
  return variables.find((variable) => variable.startsWith(prefix))?.slice(prefix.length) ?? null;
}

/** Live (not zombie) processes carrying `TASKWARDEN_WORKSPACE=<workspace>`, this process excepted. */
export function scanWorkspaceProcesses(workspace: string): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  const marker = `${WORKSPACE_VARIABLE}=${workspace}`;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!environ.includes(marker)) continue;
    const variables = environ.split('\0');
    if (!variables.includes(marker)) continue;
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
    found.push({ pid, startTime: stat.startTime, pgid: stat.pgid, run: parseRunMark(valueOf(variables, RUN_VARIABLE)) });
  }
  return found;
}
