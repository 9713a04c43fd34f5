/**
 * A group's tasklets as the view shows them: what the runner loaded, merged
 * with how each fared (this round, last match, last run, last error). A round
 * is applied in place, a few numbers per tasklet (2,000 tasklets a second for
 * 20 groups of 100 at 1 s: no objects made per round); the statuses are made
 * as objects only when asked (a status read, a round delta, the store's save).
 */
import type { TaskletError, TaskletInfo, TaskletStatus } from './protocol';
import { CELLS_PER_RESULT, matchedOf, outcomeOf } from './protocol';
import type { RoundRecord } from './roundRecord';

/** Fresh statuses for newly loaded tasklets, keeping what is known of those that stay. */
export function mergeLoaded(infos: readonly TaskletInfo[], previous: readonly TaskletStatus[]): TaskletStatus[] {
  const known = new Map(previous.map((status) => [status.name, status]));
  return infos.map((info) => {
    const before = known.get(info.name);
    return {
      ...info,
      outcome: before?.outcome ?? null,
      matched: before?.matched ?? null,
      lastMatchAt: before?.lastMatchAt ?? 0,
      lastRunAt: before?.lastRunAt ?? 0,
      lastDurationMs: before?.lastDurationMs ?? null,
      lastError: before?.lastError ?? null,
    };
  });
}

type Row = { -readonly [K in keyof TaskletStatus]: TaskletStatus[K] };

export class TaskletBoard {
  private rows: Row[] = [];
  private readonly rowOf = new Map<string, number>();
  /** The last round's names and, for each of its positions, the row (undefined: no such tasklet). */
  private lastNames: readonly string[] | null = null;
  private lastRowsOf: (number | undefined)[] = [];
  private snapshot: readonly TaskletStatus[] | null = null;

  constructor(statuses: readonly TaskletStatus[] = []) {
    this.reset(statuses);
  }

  private reset(statuses: readonly TaskletStatus[]): void {
    this.rows = statuses.map((status) => ({ ...status }));
    this.rowOf.clear();
    this.rows.forEach((row, index) => this.rowOf.set(row.name, index));
    this.lastNames = null;
    this.snapshot = null;
  }

  get size(): number {
    return this.rows.length;
  }

  /** The runner (re)loaded its tasklets. */
  loaded(infos: readonly TaskletInfo[]): void {
    this.reset(mergeLoaded(infos, this.statuses()));
  }

  /** A round's results applied; a tasklet the round did not name stays as it was (last writer wins per field). */
  apply(record: RoundRecord): void {
    if (record.names !== this.lastNames) {
      this.lastNames = record.names;
      this.lastRowsOf = record.names.map((name) => this.rowOf.get(name));
    }
    const { cells, errors } = record.results;
    const errorAt =
      errors.length === 0 ? null : new Map(errors.map(({ at, message, stack }): [number, TaskletError] => [at, { message, stack }]));
    for (let at = 0; at < this.lastRowsOf.length; at++) {
      const index = this.lastRowsOf[at];
      if (index === undefined) continue;
      const row = this.rows[index]!;
      const cell = at * CELLS_PER_RESULT;
      const code = cells[cell] ?? 0;
      const start = cells[cell + 1] ?? null;
      row.outcome = outcomeOf(code);
      row.matched = matchedOf(code);
      if (row.outcome === 'skipped') continue;
      if (row.matched === true) row.lastMatchAt = record.startedAt + (start ?? 0);
      if (start !== null) row.lastRunAt = record.startedAt + start;
      row.lastDurationMs = cells[cell + 2] ?? 0;
      const error = errorAt?.get(at);
      if (error !== undefined) row.lastError = error;
      else if (row.outcome === 'ok') row.lastError = null;
    }
    this.snapshot = null;
  }

  /** The statuses in run order, as objects of their own (made again only after a change). */
  statuses(): readonly TaskletStatus[] {
    this.snapshot ??= this.rows.map((row) => ({ ...row }));
    return this.snapshot;
  }

  /** Each tasklet's last `main` start, for a (re)started runner's `ctx.lastRun`. */
  lastRuns(): Record<string, number> {
    return Object.fromEntries(this.rows.filter((row) => row.lastRunAt > 0).map((row) => [row.name, row.lastRunAt]));
  }
}
