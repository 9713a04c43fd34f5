/**
 * What a supervised instance needs from the rest of the daemons part: the
 * store, logs, requirement checks, and a way to report changes. The
 * supervisor implements it; tests can fake it. `Instance` is the supervised
 * instance (DaemonInstance), a parameter so that this file needs no import of it.
 */
import type { Logger } from '../log';
import type { DaemonSpec } from './config/spec';
import type { LogRotator } from '../proc/logRotator';
import type { DaemonStore } from './store';

export interface InstanceHost<Instance> {
  readonly log: Logger;
  readonly workspace: string;
  /** Folder of the instances' output files. */
  readonly logDirectory: string;
  readonly store: DaemonStore;
  readonly rotator: LogRotator;
  readonly now: () => number;
  /** True while the agent shuts down: nothing starts or restarts. */
  readonly closing: boolean;
  /** The required tasks of `spec` that are not satisfied yet (empty: it may start). */
  blockedBy(spec: DaemonSpec): string[];
  /** The instance's state changed: publish it and wake dependents. */
  changed(instance: Instance): void;
  /** The instance's process ended (before it restarts): runs the task's onexit when none of its processes is left. */
  exited(instance: Instance): void;
  /** Runs one of the task's named commands as a side process (an event action, a stop override). */
  runCommand(instance: Instance, command: string): void;
}
