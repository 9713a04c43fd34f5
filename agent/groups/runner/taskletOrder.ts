/**
 * The order tasklets run in: higher priority first, ties by file name. A
 * tasklet's priority is its `priority` export, else a leading `N_` in its file
 * name (`10_check.ts` → 10), else 1.
 */

export const DEFAULT_PRIORITY = 1;

/** The priority a file name gives (`10_check.ts` → 10), or null. */
export function priorityFromName(name: string): number | null {
  const match = /^(\d+)_/.exec(name);
  return match ? Number(match[1]) : null;
}

export interface Prioritized {
  readonly name: string;
  readonly priority: number;
}

/** Higher priority first; equal priorities by file name (code point order, so the same everywhere). */
export function compareRunOrder(a: Prioritized, b: Prioritized): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Resolves a tasklet's priority; a `priority` export that is not a finite number is a problem. */
export function resolvePriority(
  name: string,
  exported: unknown,
): { readonly priority: number; readonly source: 'export' | 'file name' | 'default'; readonly problem: string | null } {
  const fromName = priorityFromName(name);
  const fallback =
    fromName === null ? { priority: DEFAULT_PRIORITY, source: 'default' as const } : { priority: fromName, source: 'file name' as const };
  if (exported === undefined) return { ...fallback, problem: null };
  if (typeof exported !== 'number' || !Number.isFinite(exported))
    return {
      ...fallback,
      problem: `priority must be a number (found ${JSON.stringify(exported) ?? typeof exported}); using ${fallback.priority}`,
    };
  return { priority: exported, source: 'export', problem: null };
}
