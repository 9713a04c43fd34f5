/**
 * `requires`: validation and start order.
 *
 * taskforce (`legion.task_list`) orders the tasks in scope by repeatedly taking
 * those whose requirements are all placed; a required task that does not exist
 * raises, and one that is `off` or out of role scope can never be placed, so
 * the whole config fails with "startup order conflict". We report each problem
 * as an error on the exact `requires` element instead:
 * - a name that is not a task (checked for every task, in scope or not, so a typo
 *   is found on any host);
 * - a required task that is `off` or out of scope (for tasks in scope);
 * - a cycle (checked over all tasks, whatever the roles, for the same reason).
 * The start order is returned as layers: every task of a layer only requires
 * tasks of earlier layers, so a layer can start in parallel.
 */
import type { PathDiagnostic, PropertyPath } from '../../config/diagnostic';
import { closestName, didYouMeanOf } from '../../config/suggest';

/** One `requires` element, resolved to a task name. */
export interface DependencyEdge {
  readonly task: string;
  readonly path: PropertyPath;
}

/** A task as the dependency analysis sees it. */
export interface DependencyTask {
  readonly name: string;
  readonly requires: readonly DependencyEdge[];
  /** null when the task takes part on this host. */
  readonly excluded: 'off' | 'out_of_scope' | null;
}

/** Problems, and the start order of the tasks that can start. */
export interface DependencyResult {
  readonly diagnostics: readonly PathDiagnostic[];
  /** Task names by layer; tasks held back by an error are in none. */
  readonly layers: readonly (readonly string[])[];
}

/** Strongly connected components (Tarjan), as a map task → component id. */
function components(tasks: readonly DependencyTask[], byName: ReadonlyMap<string, DependencyTask>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  let counter = 0;
  let componentCount = 0;
  const visit = (name: string): void => {
    index.set(name, counter);
    low.set(name, counter);
    counter += 1;
    stack.push(name);
    for (const edge of byName.get(name)?.requires ?? []) {
      if (!byName.has(edge.task)) continue;
      if (!index.has(edge.task)) {
        visit(edge.task);
        low.set(name, Math.min(low.get(name)!, low.get(edge.task)!));
      } else if (!component.has(edge.task)) {
        low.set(name, Math.min(low.get(name)!, index.get(edge.task)!));
      }
    }
    if (low.get(name) === index.get(name)) {
      let member: string | undefined;
      do {
        member = stack.pop()!;
        component.set(member, componentCount);
      } while (member !== name);
      componentCount += 1;
    }
  };
  for (const task of tasks) if (!index.has(task.name)) visit(task.name);
  return component;
}

/** The shortest chain of requirements from `from` to `to` inside one component. */
function chain(from: string, to: string, byName: ReadonlyMap<string, DependencyTask>, component: ReadonlyMap<string, number>): string[] {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name === to) break;
    for (const edge of byName.get(name)?.requires ?? []) {
      if (component.get(edge.task) !== component.get(from) || previous.has(edge.task)) continue;
      previous.set(edge.task, name);
      queue.push(edge.task);
    }
  }
  if (!previous.has(to)) return [from, to];
  const path = [to];
  while (path[0] !== from) path.unshift(previous.get(path[0]!)!);
  return path;
}

/** Validate every `requires` and compute the start layers of the tasks in scope. */
export function analyzeDependencies(tasks: readonly DependencyTask[], scope: string): DependencyResult {
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const names = tasks.map((task) => task.name);
  const diagnostics: PathDiagnostic[] = [];
  const blocked = new Set<string>();

  const component = components(tasks, byName);
  const componentSize = new Map<number, number>();
  for (const id of component.values()) componentSize.set(id, (componentSize.get(id) ?? 0) + 1);

  for (const task of tasks) {
    for (const edge of task.requires) {
      const target = byName.get(edge.task);
      if (!target) {
        const suggestion = closestName(edge.task, names);
        diagnostics.push({
          path: edge.path,
          severity: 'error',
          ...didYouMeanOf(edge.task, suggestion),
          message: `requires '${edge.task}', which is not a task${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
        });
        blocked.add(task.name);
        continue;
      }
      const id = component.get(task.name)!;
      if (component.get(edge.task) === id && (componentSize.get(id)! > 1 || edge.task === task.name)) {
        const loop = edge.task === task.name ? [task.name, task.name] : [task.name, ...chain(edge.task, task.name, byName, component)];
        diagnostics.push({
          path: edge.path,
          severity: 'error',
          message: `requires '${edge.task}', which makes a cycle: ${loop.join(' → ')}`,
        });
        blocked.add(task.name);
        continue;
      }
      if (task.excluded !== null || target.excluded === null) continue;
      blocked.add(task.name);
      diagnostics.push({
        path: edge.path,
        severity: 'error',
        message:
          target.excluded === 'off'
            ? `requires '${edge.task}', whose control is 'off', so '${task.name}' could never start`
            : `requires '${edge.task}', which is out of scope here (${scope}), so '${task.name}' could never start`,
      });
    }
  }
  return {
    diagnostics,
    layers: layersOf(
      tasks.filter((task) => task.excluded === null),
      blocked,
    ),
  };
}

/** Kahn's algorithm in config order; a task blocked (or requiring one that is) gets no layer. */
function layersOf(participants: readonly DependencyTask[], blocked: ReadonlySet<string>): string[][] {
  const placed = new Set<string>();
  const layers: string[][] = [];
  let pending = participants.filter((task) => !blocked.has(task.name));
  for (;;) {
    const layer = pending.filter((task) => task.requires.every((edge) => placed.has(edge.task))).map((task) => task.name);
    if (layer.length === 0) return layers;
    layers.push(layer);
    for (const name of layer) placed.add(name);
    pending = pending.filter((task) => !placed.has(task.name));
  }
}
