/**
 * Live reconfiguration: old specs against new specs → which instances to stop,
 * restart, start or keep. Instances are matched by task name and instance
 * number, so a count decrease stops the highest instances and an increase
 * starts the new ones, leaving the others alone (taskforce restarts the whole
 * task on any `count` edit; its `_shrink` already stops the highest first).
 *
 * taskforce's rule (`task._command_change`): edits of control, pidfile, onexit,
 * requires and start_delay keep processes running; any other edit, or a change
 * of the context, restarts. Here "restart" means "the fingerprint changed" (see
 * fingerprint.ts for how that maps onto the rule). Also from taskforce:
 * - a task whose control becomes `off`, that leaves role scope, or that is removed
 *   has no new spec: its instances stop;
 * - `suspend` keeps the task but runs nothing: wait → suspend stops, suspend →
 *   wait starts;
 * - a `once` or `event` process is never interrupted by a reload (taskforce's
 *   stop() leaves a stopping once-task alone): a changed fingerprint is "keep",
 *   and the new definition applies to its next run.
 */
import { canonicalJson } from './fingerprint';
import type { ActiveControl, DaemonSpec } from './spec';

/** An instance present before and after. */
export interface ChangedInstance {
  readonly from: DaemonSpec;
  readonly to: DaemonSpec;
  /** Spec fields that differ; for `keep`, what the runtime applies live (events, requires, control…). */
  readonly changed: readonly (keyof DaemonSpec)[];
}

/** What to do, in the order to do it: stop, restart, start; `keep` needs no process action. */
export interface ReconfigurationPlan {
  /** Old instances to stop, dependents first (reverse start order). */
  readonly stop: readonly DaemonSpec[];
  /** Replace the process: stop `from`, then start `to`. In start order. */
  readonly restart: readonly ChangedInstance[];
  /** New instances, in start order. */
  readonly start: readonly DaemonSpec[];
  readonly keep: readonly ChangedInstance[];
}

const IDENTITY: readonly (keyof DaemonSpec)[] = ['id', 'name', 'instance'];

/** Does the runtime keep processes for this control? */
function runsProcesses(control: ActiveControl): boolean {
  return control !== 'suspend';
}

/** The spec fields that differ between two instances. */
export function changedFields(from: DaemonSpec, to: DaemonSpec): (keyof DaemonSpec)[] {
  const keys = new Set([...Object.keys(from), ...Object.keys(to)] as (keyof DaemonSpec)[]);
  return [...keys].filter((key) => !IDENTITY.includes(key) && canonicalJson(from[key]) !== canonicalJson(to[key]));
}

/** Plan the move from the specs now running to the new ones. */
export function planReconfiguration(previous: readonly DaemonSpec[], next: readonly DaemonSpec[]): ReconfigurationPlan {
  const before = new Map(previous.map((spec) => [spec.id, spec]));
  const after = new Map(next.map((spec) => [spec.id, spec]));
  const stop: DaemonSpec[] = [];
  const restart: ChangedInstance[] = [];
  const start: DaemonSpec[] = [];
  const keep: ChangedInstance[] = [];

  for (const from of [...previous].reverse()) {
    const to = after.get(from.id);
    if (runsProcesses(from.control) && (!to || !runsProcesses(to.control))) stop.push(from);
  }
  for (const to of next) {
    const from = before.get(to.id);
    if (!from || !runsProcesses(from.control)) {
      if (runsProcesses(to.control)) start.push(to);
      else if (from) keep.push({ from, to, changed: changedFields(from, to) });
      continue;
    }
    if (!runsProcesses(to.control)) continue;
    const changed = changedFields(from, to);
    // A once/event run is left to finish; only a `wait` process is replaced.
    if (from.fingerprint !== to.fingerprint && from.control === 'wait') restart.push({ from, to, changed });
    else keep.push({ from, to, changed });
  }
  return { stop, restart, start, keep };
}
