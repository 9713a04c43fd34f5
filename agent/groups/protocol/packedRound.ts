/**
 * A round's per-tasklet results, packed: what a runner reports and what the
 * agent stores for each round. Twenty groups of 100 tasklets at a 1 s interval
 * are 2,000 results a second; as objects with repeated keys they were ~10 kB
 * of JSON per round, parsed into 100 objects and written again by the agent
 * (most of its CPU). Packed, a result is three numbers in one flat array, its
 * tasklet the one at the same position in `names`, and the rare errors ride
 * beside them. `unpackResults` gives back exactly the TaskletResult objects
 * (clients still see those: `group history`, round deltas).
 */
import type { PackedError, PackedResults, TaskletOutcome, TaskletResult } from './messages';

const OUTCOMES: readonly TaskletOutcome[] = ['ok', 'error', 'timeout', 'not-matched', 'skipped', 'running'];
const OUTCOME_INDEX = new Map(OUTCOMES.map((outcome, index) => [outcome, index]));

/** The cells a tasklet's result takes in `PackedResults.cells`. */
export const CELLS_PER_RESULT = 3;

/** Outcome and matched in one number: outcome index × 3 + (null 0, false 1, true 2). */
export function stateCode(outcome: TaskletOutcome, matched: boolean | null): number {
  return (OUTCOME_INDEX.get(outcome) ?? 0) * 3 + (matched === null ? 0 : matched ? 2 : 1);
}

export function outcomeOf(code: number): TaskletOutcome {
  return OUTCOMES[Math.floor(code / 3)] ?? 'ok';
}

export function matchedOf(code: number): boolean | null {
  const matched = code % 3;
  return matched === 0 ? null : matched === 2;
}

export function packResults(results: readonly TaskletResult[], roundStartedAt: number): PackedResults {
  const cells: (number | null)[] = [];
  const errors: PackedError[] = [];
  results.forEach((result, at) => {
    cells.push(
      stateCode(result.outcome, result.matched),
      result.startedAt === null ? null : result.startedAt - roundStartedAt,
      result.durationMs,
    );
    if (result.error !== null) errors.push({ at, message: result.error.message, stack: result.error.stack });
  });
  return { cells, errors };
}

export function unpackResults(names: readonly string[], packed: PackedResults, roundStartedAt: number): TaskletResult[] {
  const errors = new Map(packed.errors.map((error) => [error.at, error]));
  return names.map((name, at) => {
    const cell = at * CELLS_PER_RESULT;
    const code = packed.cells[cell] ?? 0;
    const start = packed.cells[cell + 1] ?? null;
    const error = errors.get(at);
    return {
      name,
      outcome: outcomeOf(code),
      matched: matchedOf(code),
      startedAt: start === null ? null : roundStartedAt + start,
      durationMs: packed.cells[cell + 2] ?? 0,
      error: error === undefined ? null : { message: error.message, stack: error.stack },
    };
  });
}
