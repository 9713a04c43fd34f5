/**
 * How one daemon process is asked to stop, taskforce's way: when stopping to
 * restart, a `restart` event (else a `stop` event) replaces the stop signal;
 * its action is a signal for the group, or a command of the task (a
 * graceful-stop script). The run (agent/proc/supervisedRun.ts) then gives the
 * group `stop_timeout` and SIGKILLs whatever is left, so no grandchild survives.
 */
import type { StopMethod } from '../proc/supervisedRun';
import type { DaemonSpec, EventAction } from './config/spec';

/** Why the agent stops a process: to restart it, or to end it. */
export type StopKind = 'stop' | 'restart';

/** The action replacing the stop signal, per taskforce's `task.stop()`. */
export function stopOverride(spec: DaemonSpec, kind: StopKind): EventAction | null {
  const restart = kind === 'restart' ? spec.events.find((event) => event.type === 'restart') : undefined;
  const stop = spec.events.find((event) => event.type === 'stop');
  return (restart ?? stop)?.action ?? null;
}

/** The stop method of an instance's run for `kind`; a command is run beside the daemon through `runCommand`. */
export function stopMethodOf(spec: DaemonSpec, kind: StopKind, runCommand: (command: string) => void): StopMethod {
  const action = stopOverride(spec, kind);
  if (action?.kind === 'command') {
    const command = action.command;
    return { kind: 'request', ask: () => runCommand(command) };
  }
  return { kind: 'signal', signal: action?.kind === 'signal' ? action.signal : spec.stopSignal };
}
