/**
 * A round as the agent keeps it: the runner's packed results (packedRound.ts)
 * with the names of their tasklets, never turned into 100 objects unless a
 * client asks (`group history`, a round delta, `group run --wait`). The same
 * shape is a `group_rounds` row's `record` (migration 14), the group's name
 * being the row's.
 */
import type { GroupRound, RoundEnd, TaskletResult } from './protocol';
import { packResults, unpackResults, type PackedResults } from './protocol';

export interface RoundRecord {
  readonly group: string;
  readonly round: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly endedBy: RoundEnd;
  /** The tasklets in run order: the positions of `results`. */
  readonly names: readonly string[];
  readonly results: PackedResults;
}

export function recordOf(round: GroupRound): RoundRecord {
  return { ...round, names: round.results.map((result) => result.name), results: packResults(round.results, round.startedAt) };
}

export function resultsOf(record: RoundRecord): TaskletResult[] {
  return unpackResults(record.names, record.results, record.startedAt);
}

export function groupRoundOf(record: RoundRecord): GroupRound {
  const { group, round, startedAt, endedAt, endedBy } = record;
  return { group, round, startedAt, endedAt, endedBy, results: resultsOf(record) };
}

/** A group's names stay the same array from round to round: their JSON is made once. */
const namesJson = new WeakMap<readonly string[], string>();

/** The `record` text of a round's row. */
export function storedText(record: RoundRecord): string {
  let names = namesJson.get(record.names);
  if (names === undefined) {
    names = JSON.stringify(record.names);
    namesJson.set(record.names, names);
  }
  const { round, startedAt, endedAt, endedBy, results } = record;
  // The names' JSON text spliced into the rest's: {"round":…,"names":[…],"cells":[…],"errors":[…]}.
  return `${JSON.stringify({ round, startedAt, endedAt, endedBy }).slice(0, -1)},"names":${names},${JSON.stringify(results).slice(1)}`;
}

interface StoredRecord extends Omit<RoundRecord, 'group' | 'results'>, PackedResults {}

export function fromStoredText(group: string, text: string): RoundRecord {
  const { round, startedAt, endedAt, endedBy, names, cells, errors } = JSON.parse(text) as StoredRecord;
  return { group, round, startedAt, endedAt, endedBy, names, results: { cells, errors } };
}
