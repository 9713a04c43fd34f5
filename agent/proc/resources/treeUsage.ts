/**
 * A supervised process tree's totals: the run's process and all its
 * descendants (found by parent pid in one reading of the process table),
 * their CPU ticks and resident pages summed. Pure.
 */
import type { ProcTable } from './procTable';

export interface TreeUsage {
  /** utime + stime of the live processes of the tree, in clock ticks. */
  readonly cpuTicks: number;
  readonly rssPages: number;
  /** How many processes the tree has (1: the run's process alone). */
  readonly processes: number;
}

/** Children of each pid, built once per reading for every tree. */
export function childrenOf(table: ProcTable): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of table.values()) {
    const siblings = children.get(entry.ppid);
    if (siblings) siblings.push(entry.pid);
    else children.set(entry.ppid, [entry.pid]);
  }
  return children;
}

/**
 * The totals of the tree under `root` (same pid and start time), or null when
 * that process is not in the table. A process's descendants are those whose
 * parent chain reaches it: an orphan re-parented elsewhere (to a subreaper) has
 * left the tree.
 */
export function treeUsage(
  table: ProcTable,
  children: ReadonlyMap<number, readonly number[]>,
  root: { readonly pid: number; readonly startTime: number },
): TreeUsage | null {
  const leader = table.get(root.pid);
  if (!leader || leader.startTime !== root.startTime) return null;
  let cpuTicks = 0;
  let rssPages = 0;
  let processes = 0;
  const pending = [root.pid];
  const seen = new Set<number>();
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    const entry = table.get(pid);
    if (!entry) continue;
    cpuTicks += entry.cpuTicks;
    rssPages += entry.rssPages;
    processes += 1;
    for (const child of children.get(pid) ?? []) pending.push(child);
  }
  return { cpuTicks, rssPages, processes };
}
