/**
 * Daemon state as the agent reports it, for the extension's view-model tests:
 * an instance or a task with sensible defaults and the fields a test cares about.
 */
import type { DaemonInstanceInfo, DaemonTaskInfo } from '../../../agent/daemons/protocol';

/** An instance of `task` (default `web:0`, running with pid 100 since t=0). */
export function instance(overrides: Partial<DaemonInstanceInfo> = {}): DaemonInstanceInfo {
  const task = overrides.task ?? 'web';
  const number = overrides.instance ?? 0;
  return {
    id: `${task}:${number}`,
    task,
    instance: number,
    state: 'running',
    pid: 100,
    startedAt: 0,
    restarts: 0,
    lastExit: null,
    ready: true,
    crashLoop: false,
    nextStartAt: null,
    waitingFor: [],
    message: null,
    adopted: false,
    ...overrides,
  };
}

/** A task with these instances (default one running instance). */
export function task(name: string, instances: readonly DaemonInstanceInfo[] = [instance({ task: name })]): DaemonTaskInfo {
  return {
    name,
    control: 'wait',
    count: instances.length,
    requires: [],
    configFile: '/w/taskwarden.yaml',
    configLine: 2,
    instances,
  };
}
