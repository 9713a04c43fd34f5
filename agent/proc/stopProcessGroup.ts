/**
 * Stops a supervised process the way a user expects: the stop signal to its
 * whole process group, a grace period, then SIGKILL to the group, so no
 * grandchild survives. Works for our own children (an `exited` promise) and for
 * adopted ones (polled by pid + start time).
 */
import { isSameProcessAlive, type ProcessIdentity } from './processIdentity';

export interface StopRequest {
  readonly identity: ProcessIdentity;
  readonly signal: NodeJS.Signals;
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

function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0);
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
  if (!isSameProcessAlive(identity) && !groupAlive(identity.pid)) return { stopped: 'already-gone' };
  const deadline = Date.now() + request.timeoutMs;
  let leaderGone = false;
  if (request.exited) void request.exited.then(() => (leaderGone = true));
  signalGroup(identity.pid, request.signal);
  const leaderExited = await waitUntil(() => leaderGone || !isSameProcessAlive(identity), deadline);
  // Grandchildren that outlive the leader get the rest of the grace period.
  const groupExited = leaderExited && (await waitUntil(() => !groupAlive(identity.pid), deadline));
  if (leaderExited && groupExited) return { stopped: 'signal' };
  signalGroup(identity.pid, 'SIGKILL');
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
