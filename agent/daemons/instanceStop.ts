/**
 * How one daemon process is stopped, taskforce's way plus group kill: when
 * stopping to restart, a `restart` event (else a `stop` event) replaces the stop
 * signal; its action is a signal for the group, or a command of the task (a
 * graceful-stop script). Either way, after `stop_timeout` the whole process
 * group gets SIGKILL, so no grandchild survives.
 */
import { signalOwnGroup, stopProcessGroup } from '../proc/stopProcessGroup';
import { isSameProcessAlive, type ProcessIdentity } from '../proc/processIdentity';
import type { DaemonSpec, EventAction } from './config/spec';

/** A live process of an instance, started by this agent or adopted. */
export interface RunningProcess {
  readonly identity: ProcessIdentity;
  readonly startedAt: number;
  /** Resolves when our child exits; null for an adopted process (not our child). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> | null;
  readonly adopted: boolean;
  /** Set once the agent asked it to stop: its exit is then not a crash. */
  stopRequested: boolean;
  /** Why it was stopped, for `lastExit.reason`. */
  stopReason: string | null;
  /** Stops watching an adopted process. */
  cancelWatch?: () => void;
}

/** Why the agent stops a process: to restart it, or to end it. */
export type StopKind = 'stop' | 'restart';

const POLL_MS = 20;

/** The action replacing the stop signal, per taskforce's `task.stop()`. */
export function stopOverride(spec: DaemonSpec, kind: StopKind): EventAction | null {
  const restart = kind === 'restart' ? spec.events.find((event) => event.type === 'restart') : undefined;
  const stop = spec.events.find((event) => event.type === 'stop');
  return (restart ?? stop)?.action ?? null;
}

async function waitGone(identity: ProcessIdentity, deadline: number): Promise<boolean> {
  while (isSameProcessAlive(identity)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/**
 * Stops the process and its group; resolves once the leader is gone (and, for
 * our own child, reaped, so its exit status is known).
 */
export async function stopRunning(
  process: RunningProcess,
  spec: DaemonSpec,
  kind: StopKind,
  runCommand: (command: string) => void,
): Promise<void> {
  const action = stopOverride(spec, kind);
  const request = { identity: process.identity, timeoutMs: spec.stopTimeoutMs, exited: process.exited };
  if (action?.kind === 'command') {
    runCommand(action.command);
    // The command asks the daemon to stop; whatever still runs at the timeout is killed.
    await waitGone(process.identity, Date.now() + spec.stopTimeoutMs);
    await stopProcessGroup({ ...request, signal: 'SIGKILL', timeoutMs: 0 });
  } else {
    const signal = action?.kind === 'signal' ? action.signal : spec.stopSignal;
    await stopProcessGroup({ ...request, signal });
  }
  // Whatever is left of the group (a grandchild that ignored the signal) goes too.
  signalOwnGroup(process.identity, 'SIGKILL');
  if (process.exited) await process.exited;
}
