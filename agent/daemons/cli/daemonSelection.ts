/**
 * `taskwarden ps NAME…`: which rows of the daemons list the names select. A
 * name is a task (all its instances), `task:instance`, or a task that does not
 * run here (listed with its reason); any other name is an error naming it,
 * checked before anything is printed.
 */
import { failed, ok, type Result } from '../../result';
import type { ListDaemonsResult } from '../protocol';

/** The list narrowed to `names` (all of it when none are given), or the first unknown name. */
export function selectDaemons(list: ListDaemonsResult, names: readonly string[]): Result<ListDaemonsResult> {
  if (names.length === 0) return ok(list);
  const known = new Set([
    ...list.tasks.flatMap((task) => [task.name, ...task.instances.map((instance) => instance.id)]),
    ...list.skipped.map((skipped) => skipped.name),
  ]);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const taskNames = [...list.tasks.map((task) => task.name), ...list.skipped.map((skipped) => skipped.name)];
    return failed({
      reason: 'unknown-daemon',
      message: `no daemon named ${unknown.map((name) => `'${name}'`).join(', ')} (known: ${taskNames.length > 0 ? taskNames.join(', ') : 'none'})`,
    });
  }
  const wanted = new Set(names);
  const tasks = list.tasks.flatMap((task) => {
    if (wanted.has(task.name)) return [task];
    const instances = task.instances.filter((instance) => wanted.has(instance.id));
    return instances.length > 0 ? [{ ...task, instances }] : [];
  });
  return ok({ ...list, tasks, skipped: list.skipped.filter((skipped) => wanted.has(skipped.name)) });
}
