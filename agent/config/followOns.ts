/**
 * The loader runs every stage on every config (the schema, then each part's
 * check), so that all problems of a file show at once. A later stage still
 * reads values an earlier one already found wrong, and would report the same
 * mistake a second time in its own words (a `requires: true` is "not a list"
 * to the schema and "not a task" to the dependency check). Such follow-ons are
 * dropped; independent problems all stay.
 *
 * A place is a property path and whether the key or the value is meant. An
 * error on a value covers that value and everything inside it; an error on a
 * key (an unknown key, a missing required key reported on its owner) covers
 * that key only, so it hides nothing else the owner holds. A list item has no
 * key: there both mean the item.
 */
import type { PathDiagnostic, PropertyPath } from './diagnostic';

function startsWith(path: PropertyPath, prefix: PropertyPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => String(segment) === String(path[index]));
}

/** Whether a diagnostic means a key; a list item (or the whole config) has none, so there it means the value. */
function meansKey(diagnostic: PathDiagnostic): boolean {
  return diagnostic.atKey === true && typeof diagnostic.path.at(-1) === 'string';
}

function covers(error: PathDiagnostic, later: PathDiagnostic): boolean {
  const samePath = error.path.length === later.path.length && startsWith(later.path, error.path);
  if (meansKey(error)) return samePath && meansKey(later);
  return samePath ? !meansKey(later) : startsWith(later.path, error.path);
}

/** The diagnostics of all stages (in stage order) without those an earlier stage's error already covers. */
export function withoutFollowOns(stages: readonly (readonly PathDiagnostic[])[]): PathDiagnostic[] {
  const kept: PathDiagnostic[] = [];
  const errors: PathDiagnostic[] = [];
  for (const stage of stages) {
    const fresh = stage.filter((diagnostic) => !errors.some((error) => covers(error, diagnostic)));
    kept.push(...fresh);
    errors.push(...fresh.filter((diagnostic) => diagnostic.severity === 'error'));
  }
  return kept;
}
