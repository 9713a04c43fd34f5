/**
 * `taskwarden down` when no agent answers (it crashed, or was killed): stops
 * what the workspace still runs. The parts name the processes their rows
 * record and those whose marker says they are theirs (agent/server/parts.ts);
 * any other group with a marked member (a daemon's child that started a group
 * of its own, the rest of a group whose leader died) is stopped too. Each
 * group gets its stop signal, a grace period, then SIGKILL, as the agent
 * would do; then the parts' rows are brought up to date.
 *
 * The workspace lock is held throughout, so no agent starts meanwhile (one
 * that tries exits at once: another agent holds the lock) and none adopts a
 * process that is being stopped. When the lock is held, an agent runs after
 * all (just started, or not answering): nothing is done and the caller is told.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSameProcessAlive, readProcStat } from '../proc/processIdentity';
import { stopProcessGroup } from '../proc/stopProcessGroup';
import { keepOwnFilesPrivate } from '../proc/umask';
import { scanWorkspaceProcesses, type MarkedProcess } from '../proc/workspaceMarker';
import { openDatabase, type Db } from '../store/database';
import { statePaths } from '../store/stateDirectory';
import { acquireAgentLock } from './agentLock';
import type { LeftoverInput, LeftoverProcess, PartModule } from '../core/part';
import { PARTS } from '../parts';
import { failed, ok, type Failure, type Result } from '../result';

export interface LeftoverOptions {
  /** The workspace folder, resolved (symbolic links too). */
  readonly workspace: string;
  readonly configFile?: string | undefined;
  readonly rolesFile?: string | undefined;
}

/** A process `down` found, named as a user knows it. */
export interface LeftoverName {
  /** A part's `runs.kind` ('daemon', 'task', …), or 'process'. */
  readonly kind: string;
  readonly name: string;
  readonly pid: number;
}

export type StoppedLeftover = LeftoverName & { readonly how: 'signal' | 'killed' | 'already-gone' };

/** What was stopped and what is still there; or nothing done, because an agent holds the workspace. */
export type LeftoverResult = Result<
  { readonly stopped: readonly StoppedLeftover[]; readonly left: readonly LeftoverName[] },
  Failure<'agent-running'>
>;

/** When a group has nothing more specific: SIGTERM, and taskforce's 5 s before SIGKILL. */
const DEFAULT_STOP = { signal: 'SIGTERM', timeoutMs: 5_000 } as const;
/** How long members of a killed group get to be gone before they count as left. */
const SETTLE_MS = 2_000;

function nameOf(marked: MarkedProcess): LeftoverName {
  const kind = PARTS.find((part) => part.name === marked.run?.part)?.runs?.kind;
  if (marked.run !== null && kind !== undefined) return { kind, name: marked.run.id, pid: marked.pid };
  return { kind: 'process', name: String(marked.pid), pid: marked.pid };
}

/** The group leaders among `marked` whose mark names a run of `part`. */
function leadersOf(part: PartModule, marked: readonly MarkedProcess[]): LeftoverInput['leaders'] {
  return marked.flatMap((candidate) =>
    candidate.run?.part === part.name && candidate.pgid === candidate.pid
      ? [{ identity: { pid: candidate.pid, startTime: candidate.startTime }, id: candidate.run.id }]
      : [],
  );
}

/** Groups with a marked member that no part named, led by one of ours or by no one any more. */
function unclaimedGroups(marked: readonly MarkedProcess[], claimed: ReadonlySet<number>): LeftoverProcess[] {
  const groups: LeftoverProcess[] = [];
  const markedPids = new Set(marked.map((candidate) => candidate.pid));
  for (const candidate of marked) {
    const pgid = candidate.pgid;
    if (claimed.has(pgid) || groups.some((group) => group.identity.pid === pgid)) continue;
    const leader = readProcStat(pgid);
    // A live leader without our marker: the group is someone else's; a member that outlives the stop is reported.
    if (leader !== null && !markedPids.has(pgid)) continue;
    // A group whose leader is gone keeps its id (no new process can take it while the group lives).
    const identity = { pid: pgid, startTime: leader?.startTime ?? -1 };
    const label = nameOf(candidate);
    groups.push({ identity, kind: label.kind, name: label.kind === 'process' ? String(pgid) : label.name, ...DEFAULT_STOP });
  }
  return groups;
}

/**
 * Process groups with a member that still runs. A killed process whose parent
 * (the dead agent's spawn helper) is gone waits as a zombie until init reaps
 * it, and a signal to its group still "succeeds" meanwhile: zombies do not count.
 */
function runningGroups(): Set<number> {
  const groups = new Set<number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat !== null && stat.state !== 'Z' && stat.state !== 'X') groups.add(stat.pgid);
  }
  return groups;
}

function stillRunning(leftover: LeftoverProcess, groups: ReadonlySet<number>): boolean {
  if (isSameProcessAlive(leftover.identity)) return true;
  // The group is ours unless its id now leads another process (possible only once our group is gone).
  const leader = readProcStat(leftover.identity.pid);
  return groups.has(leftover.identity.pid) && (leader === null || leader.startTime === leftover.identity.startTime);
}

async function stopWith(db: Db | null, options: LeftoverOptions & { readonly configFile: string }): Promise<LeftoverResult> {
  const ownGroup = readProcStat(process.pid)?.pgid ?? -1;
  // Never our own group: `down` run from a task's script must not kill itself half-way.
  const marked = scanWorkspaceProcesses(options.workspace).filter((candidate) => candidate.pgid !== ownGroup);
  const common = { workspace: options.workspace, configFile: options.configFile, rolesFile: options.rolesFile, db };
  const parts = PARTS.flatMap((part) => (part.leftovers ? [part.leftovers({ ...common, leaders: leadersOf(part, marked) })] : []));
  const found = new Map<number, LeftoverProcess>();
  for (const part of parts)
    for (const leftover of part.processes) if (!found.has(leftover.identity.pid)) found.set(leftover.identity.pid, leftover);
  for (const group of unclaimedGroups(marked, new Set(found.keys()))) found.set(group.identity.pid, group);

  const stopped = await Promise.all(
    [...found.values()].map(async (leftover): Promise<StoppedLeftover> => {
      const outcome = await stopProcessGroup({
        identity: leftover.identity,
        signal: leftover.signal,
        timeoutMs: leftover.timeoutMs,
        exited: null,
      });
      return { kind: leftover.kind, name: leftover.name, pid: leftover.identity.pid, how: outcome.stopped };
    }),
  );
  // A SIGKILL is delivered, not awaited: a member may still be on its way out for a moment.
  let groups = runningGroups();
  const settled = Date.now() + SETTLE_MS;
  while ([...found.values()].some((leftover) => stillRunning(leftover, groups)) && Date.now() < settled) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    groups = runningGroups();
  }
  const gone = [...found.values()].filter((leftover) => !stillRunning(leftover, groups));
  for (const part of parts) part.forget(gone.filter((leftover) => part.processes.includes(leftover)));
  // The crashed agent's run ends now, as far as the store can tell.
  db?.prepare('UPDATE agent_runs SET stopped_at = ? WHERE stopped_at IS NULL').run(Date.now());

  const left = new Map<number, LeftoverName>();
  for (const leftover of found.values())
    if (stillRunning(leftover, groups))
      left.set(leftover.identity.pid, { kind: leftover.kind, name: leftover.name, pid: leftover.identity.pid });
  for (const candidate of scanWorkspaceProcesses(options.workspace))
    if (!left.has(candidate.pid)) left.set(candidate.pid, nameOf(candidate));
  return ok({ stopped: stopped.filter((entry) => entry.how !== 'already-gone'), left: [...left.values()] });
}

/** Stops every process of the workspace that no agent supervises; see the file header. */
export async function stopLeftovers(options: LeftoverOptions): Promise<LeftoverResult> {
  // The store's files stay private even when this process creates them.
  keepOwnFilesPrivate();
  const resolved = { ...options, configFile: path.resolve(options.workspace, options.configFile ?? 'taskwarden.yaml') };
  const paths = statePaths(options.workspace);
  // No state folder: no agent ever ran here with this version, yet marked processes may (another copy's); nothing to lock.
  if (!fs.existsSync(paths.root)) return stopWith(null, resolved);
  const lock = acquireAgentLock(paths.lock);
  if (!lock.ok) return failed({ reason: 'agent-running', message: lock.error.message });
  try {
    const db = fs.existsSync(paths.database)
      ? openDatabase(paths.database, { migrations: PARTS.flatMap((part) => part.migrations) })
      : null;
    try {
      return await stopWith(db, resolved);
    } finally {
      db?.close();
    }
  } finally {
    lock.value();
  }
}
