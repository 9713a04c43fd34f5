/**
 * A group's tasklets as the view shows them: what the runner loaded, merged
 * with how each fared (this round, last match, last run, last error). Pure.
 */
import type { GroupRound, TaskletInfo, TaskletResult, TaskletStatus } from '../protocol/groups';

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

function applyResult(status: TaskletStatus, result: TaskletResult, round: GroupRound): TaskletStatus {
  if (result.outcome === 'skipped') return { ...status, outcome: 'skipped', matched: null };
  return {
    ...status,
    outcome: result.outcome,
    matched: result.matched,
    lastMatchAt: result.matched === true ? (result.startedAt ?? round.startedAt) : status.lastMatchAt,
    lastRunAt: result.startedAt ?? status.lastRunAt,
    lastDurationMs: result.durationMs,
    lastError: result.error ?? (result.outcome === 'ok' ? null : status.lastError),
  };
}

/** The statuses after a round: each tasklet's result applied (a tasklet the round did not name stays as it was). */
export function applyRound(statuses: readonly TaskletStatus[], round: GroupRound): TaskletStatus[] {
  const results = new Map(round.results.map((result) => [result.name, result]));
  return statuses.map((status) => {
    const result = results.get(status.name);
    return result === undefined ? status : applyResult(status, result, round);
  });
}

/** Each tasklet's last `main` start, for a (re)started runner's `ctx.lastRun`. */
export function lastRunsOf(statuses: readonly TaskletStatus[]): Record<string, number> {
  return Object.fromEntries(statuses.filter((status) => status.lastRunAt > 0).map((status) => [status.name, status.lastRunAt]));
}
