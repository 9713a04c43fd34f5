/**
 * taskforce's "Values and Lists": a value may be a scalar, a list, or a
 * conditional map whose keys are context names. A map contributes the values
 * of its keys that are in the context (defined, even as null), recursively;
 * lists are flattened. `["{Task_name}", {"VERBOSE": "-v"}, "-p", "x"]` is
 * `db_server -v -p x` with VERBOSE defined, `db_server -p x` without.
 *
 * Mirrors `Context._get_list` / `Context._get` in taskforce's task.py. Every
 * resulting item keeps the property path it came from, so later checks (and
 * substitution warnings) point at the exact element, e.g.
 * ['tasks', 'ntpd', 'commands', 'start', 7, 'MINSLEEP', 1].
 */
import type { PathDiagnostic, PropertyPath } from '../../config/diagnostic';
import { isRecord, type RawScalar } from './types';

/** One scalar that survived expansion, and where it was written. */
export interface ExpandedItem {
  readonly value: Exclude<RawScalar, null>;
  readonly path: PropertyPath;
}

/** The flattened items of a value, and any problems met on the way. */
export interface ListExpansion {
  readonly items: readonly ExpandedItem[];
  readonly diagnostics: readonly PathDiagnostic[];
}

/** A single value (`_get`): absent, one item, or an error already reported. */
export interface ScalarExpansion {
  readonly item: ExpandedItem | null;
  readonly diagnostics: readonly PathDiagnostic[];
}

/** Answers "is this name in the context?" (a null value counts as present). */
export type HasName = (name: string) => boolean;

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function collect(value: unknown, has: HasName, path: PropertyPath, items: ExpandedItem[], diagnostics: PathDiagnostic[]): void {
  // taskforce's _get_list(None) is []: a null anywhere simply contributes nothing.
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((element, index) => collect(element, has, [...path, index], items, diagnostics));
    return;
  }
  if (isRecord(value)) {
    for (const [name, inner] of Object.entries(value)) {
      if (has(name)) {
        collect(inner, has, [...path, name], items, diagnostics);
      } else if (!IDENTIFIER.test(name)) {
        // Typical cause: `["-l": "{LOGFILE}"]` in a flow list is a one-pair map, not two items
        // (the taskforce README has exactly this slip). taskforce silently skips it.
        diagnostics.push({
          path: [...path, name],
          atKey: true,
          severity: 'warning',
          message: `conditional key '${name}' is not a context name, so its value is never used; to list two items write ["${name}", …] rather than ["${name}": …]`,
        });
      }
    }
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    items.push({ value, path });
    return;
  }
  diagnostics.push({ path, severity: 'error', message: `unexpected value of type ${typeof value}` });
}

/** Flatten a list-or-scalar-or-conditional value (`_get_list`). Absent gives no items. */
export function expandList(value: unknown, has: HasName, path: PropertyPath): ListExpansion {
  const items: ExpandedItem[] = [];
  const diagnostics: PathDiagnostic[] = [];
  collect(value, has, path, items, diagnostics);
  return { items, diagnostics };
}

/**
 * A value that must be single (`_get`). taskforce raises on a conditional that
 * leaves nothing; we read it as "not set", which makes
 * `user: {"RUNAS": "{RUNAS}"}` mean "run as RUNAS when defined". More than one
 * value is an error, as in taskforce.
 */
export function expandScalar(value: unknown, has: HasName, path: PropertyPath): ScalarExpansion {
  const { items, diagnostics } = expandList(value, has, path);
  if (items.length <= 1) return { item: items[0] ?? null, diagnostics };
  return {
    item: null,
    diagnostics: [
      ...diagnostics,
      {
        path,
        severity: 'error',
        message: `resolves to ${items.length} values (${items.map((item) => JSON.stringify(item.value)).join(', ')}); a single value is expected`,
      },
    ],
  };
}

/** A scalar as text: YAML numbers and booleans become their JavaScript spelling. */
export function scalarText(value: Exclude<RawScalar, null>): string {
  return String(value);
}
