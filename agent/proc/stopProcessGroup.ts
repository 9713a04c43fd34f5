/**
 * Stops a supervised process the way a user expects: the stop signal to its
 * whole process group, a grace period, then SIGKILL to the group, so no
 * grandchild survives. Works for our own children (an `exited` promise) and for
 * adopted ones (polled by pid + start time).
 */
import { isSameProcessAlive, readProcStat, type ProcessIdentity } from './processIdentity';

export interface StopRequest {
  readonly identity: ProcessIdentity;
  /** Sent to the group first; null when the group was asked to end some other way (a stop command). */
  readonly signal: NodeJS.Signals | null;
  readonly timeoutMs: number;
  /** Resolves when the leader exits; null for an adopted process (then polled). */
  readonly exited: Promise<unknown> | null;
}

export type StopOutcome = { readonly stopped: 'already-gone' | 'signal' | 'killed' };

const POLL_MS = 20;

/** Sends a signal to the process group led by pid; false if the group is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals the group our process led, unless its pid now belongs to another
 * process: pids are recycled (quickly where pid_max is 32768), and a new process
 * with that pid may lead a new group of the same id, which is not ours. While
 * any of our group is alive no one else can take the id, so a live leader that
 * is ours, or no process at all under that pid, means the group is ours.
 */
export function signalOwnGroup(identity: ProcessIdentity, signal: NodeJS.Signals | 0): boolean {
  const stat = readProcStat(identity.pid);
  if (stat !== null && stat.startTime !== identity.startTime) return false;
  return signalGroup(identity.pid, signal);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(done: () => boolean, deadline: number): Promise<boolean> {
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
  return true;
}

export async function stopProcessGroup(request: StopRequest): Promise<StopOutcome> {
  const { identity } = request;
  if (!isSameProcessAlive(identity) && !signalOwnGroup(identity, 0)) return { stopped: 'already-gone' };
  const deadline = Date.now() + request.timeoutMs;
  let leaderGone = false;
  if (request.exited) void request.exited.then(() => (leaderGone = true));
  if (request.signal !== null) signalOwnGroup(identity, request.signal);
  const leaderExited = await waitUntil(() => leaderGone || !isSameProcessAlive(identity), deadline);
  // Grandchildren that outlive the leader get the rest of the grace period.
  const groupExited = leaderExited && (await waitUntil(() => !signalOwnGroup(identity, 0), deadline));
  if (leaderExited && groupExited) return { stopped: 'signal' };
  signalOwnGroup(identity, 'SIGKILL');
  await waitUntil(() => !isSameProcessAlive(identity), Date.now() + 2000);
  return { stopped: 'killed' };
}

/** Resolves when an adopted process (not our child, so no exit event) is gone. */
export function watchAdopted(identity: ProcessIdentity, intervalMs = 250): { readonly gone: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const gone = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      if (isSameProcessAlive(identity)) return;
      clearInterval(timer);
      resolve();
    }, intervalMs);
    timer.unref();
  });
  return { gone, cancel: () => clearInterval(timer) };
}
