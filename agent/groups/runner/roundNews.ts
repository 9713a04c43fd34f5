/**
 * Whether a round's report tells the agent something the round before did not.
 * A runner may hold the reports of rounds that do not (agentLink.ts: several in
 * one message while no client watches), since nothing a user reads from them
 * differs but their times: the same outcome and match for every tasklet, no
 * error, the same tasklets, params and end. A round that does is sent at once,
 * so an error, a new match or changed params never wait (and a runner that dies
 * holding reports loses only rounds like the one before them).
 */
import { CELLS_PER_RESULT, type PackedResults } from '../../protocol/packedRound';

/** What the comparison reads of a round's report. */
export interface RoundGist {
  readonly endedBy: string;
  readonly names: readonly string[];
  readonly paramsText: string;
  readonly results: PackedResults;
}

export function isNews(previous: RoundGist | null, round: RoundGist): boolean {
  if (previous === null || round.results.errors.length > 0) return true;
  if (round.endedBy !== previous.endedBy || round.paramsText !== previous.paramsText) return true;
  if (round.names !== previous.names && !sameNames(round.names, previous.names)) return true;
  const cells = round.results.cells;
  const before = previous.results.cells;
  if (cells.length !== before.length) return true;
  // The first cell of each result is its state: outcome and matched.
  for (let cell = 0; cell < cells.length; cell += CELLS_PER_RESULT) if (cells[cell] !== before[cell]) return true;
  return false;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}
