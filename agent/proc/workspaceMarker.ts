/**
 * Every process the agent starts carries its workspace in its environment
 * (`TASKWARDEN_WORKSPACE=<folder>`), a daemon also its instance
 * (`TASKWARDEN_DAEMON=web:0`), a task its id (`TASKWARDEN_TASK_ID=7`) and a
 * queue item its id (`TASKWARDEN_QUEUE_ITEM=ID`).
 * Children inherit the environment, so the marker finds a workspace's
 * processes even when the store never heard of them (an agent killed between
 * a spawn and the write of its row): adoption and `taskwarden down` with no
 * agent scan for it.
 */
import * as fs from 'node:fs';
import { readProcStat } from './processIdentity';

export const WORKSPACE_VARIABLE = 'TASKWARDEN_WORKSPACE';
export const DAEMON_VARIABLE = 'TASKWARDEN_DAEMON';
export const TASK_VARIABLE = 'TASKWARDEN_TASK_ID';
export const QUEUE_ITEM_VARIABLE = 'TASKWARDEN_QUEUE_ITEM';

/** The marker of one process: its workspace, and its owner's variable (`TASKWARDEN_DAEMON=web:0`), if any. */
export interface WorkspaceMark {
  readonly workspace: string;
  readonly owner: { readonly variable: string; readonly value: string } | null;
}

/**
 * `env` with the marker. An `env` that carries it already is returned as it is,
 * so an owner that starts the same process often (a daemon's restarts) builds
 * it once, not on every start.
 */
export function markedEnvironment(env: Readonly<Record<string, string>>, mark: WorkspaceMark): Readonly<Record<string, string>> {
  if (env[WORKSPACE_VARIABLE] === mark.workspace && (mark.owner === null || env[mark.owner.variable] === mark.owner.value)) return env;
  const marked: Record<string, string> = { ...env, [WORKSPACE_VARIABLE]: mark.workspace };
  if (mark.owner !== null) marked[mark.owner.variable] = mark.owner.value;
  return marked;
}

/** A live process carrying a workspace's marker. */
export interface MarkedProcess {
  readonly pid: number;
  readonly startTime: number;
  /** Its process group; equal to pid for the process the agent started (a group leader). */
  readonly pgid: number;
  /** The daemon instance it belongs to (`task:instance`), if a daemon. */
  readonly daemon: string | null;
  /** The task it belongs to, if a tracked task. */
  readonly task: number | null;
  /** The queue item it belongs to, if a queue item. */
  readonly queueItem: string | null;
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
    const daemon = valueOf(variables, DAEMON_VARIABLE);
    const task = daemon === null ? Number(valueOf(variables, TASK_VARIABLE) ?? NaN) : NaN;
    const queueItem = daemon === null ? valueOf(variables, QUEUE_ITEM_VARIABLE) : null;
    found.push({
      pid,
      startTime: stat.startTime,
      pgid: stat.pgid,
      daemon,
      task: Number.isSafeInteger(task) && task > 0 ? task : null,
      queueItem,
    });
  }
  return found;
}
