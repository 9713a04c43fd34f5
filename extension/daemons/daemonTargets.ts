/**
 * What a daemon command acts on: the argument it was invoked with (a tree row,
 * a task name from a code lens, or several rows of a multi-selection), or, from
 * the palette, the choices a quick pick offers for the verb. Pure; unit-tested.
 */
import { instanceDescription, taskDescription } from '../../agent/daemons/protocol';
import type { DaemonsModel } from './daemonsModel';
import { actionsFor, type DaemonVerb } from './daemonActions';

/** A row of the Daemons view, as tree items hand it to commands. */
export type DaemonNode =
  | { readonly kind: 'task'; readonly name: string }
  | { readonly kind: 'instance'; readonly id: string; readonly task: string }
  | { readonly kind: 'skipped'; readonly name: string };

/** The daemon NAME a node stands for: a task name or `task:instance`. */
export function nodeTarget(node: DaemonNode): string {
  return node.kind === 'instance' ? node.id : node.name;
}

function isNode(value: unknown): value is DaemonNode {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'task' || kind === 'instance' || kind === 'skipped';
}

/**
 * The names a command invocation designates, or null when it carries none (the
 * palette: ask). VS Code calls a tree command with (clicked row, selected rows);
 * a code lens with (task name).
 */
export function targetsOfArguments(first: unknown, second?: unknown): string[] | null {
  if (Array.isArray(second) && second.length > 0 && second.every(isNode)) return second.map(nodeTarget);
  if (isNode(first)) return [nodeTarget(first)];
  if (typeof first === 'string' && first.trim() !== '') return [first.trim()];
  return null;
}

/** A quick pick choice: a task, or one instance of a task with several. */
export interface TargetChoice {
  readonly label: string;
  readonly description: string;
  /** The NAME to send. */
  readonly target: string;
}

/** Which choices fit a verb ('output' and 'config' fit every task). */
export type TargetPurpose = DaemonVerb | 'output' | 'config';

/**
 * The choices for a verb, tasks in start order, each followed by its
 * instances when it has more than one; only those the verb applies to.
 */
export function targetChoices(model: DaemonsModel, purpose: TargetPurpose, now: number): TargetChoice[] {
  const fits = (instances: Parameters<typeof actionsFor>[0]): boolean =>
    purpose === 'output' || purpose === 'config' ? true : actionsFor(instances)[purpose];
  const choices: TargetChoice[] = [];
  for (const task of model.tasks) {
    if (fits(task.instances)) choices.push({ label: task.name, description: taskDescription(task, now), target: task.name });
    if (task.instances.length < 2) continue;
    for (const instance of task.instances) {
      if (fits([instance]))
        choices.push({ label: `  ${instance.id}`, description: instanceDescription(instance, now), target: instance.id });
    }
  }
  if (purpose === 'config') {
    for (const skipped of model.skipped) choices.push({ label: skipped.name, description: 'does not run here', target: skipped.name });
  }
  return choices;
}
