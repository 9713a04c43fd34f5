/**
 * The argument of `taskwarden logs`: which run's output to read. Each part
 * with runs names its prefix (`task:ID`, `queue:ID`; RunNaming in
 * core/part.ts); an argument with no known prefix belongs to the part whose
 * runs are named bare (a daemon's `NAME[:instance]`).
 */
import type { RunNaming } from '../../core/part';
import { failed, ok, type Result } from '../../result';
import type { PartName } from '../../protocol/agent';
import type { OutputSource } from '../../protocol/output';

/** The parts whose runs have output, as `PartModule` declares them. */
export type NamedRuns = readonly { readonly name: PartName; readonly runs?: RunNaming | undefined }[];

function spellings(parts: NamedRuns): string {
  const named = parts.flatMap((part) =>
    part.runs ? [part.runs.logs.bare ? `${part.runs.logs.spelling}` : `${part.runs.logs.prefix}:ID`] : [],
  );
  return named.length < 2 ? named.join('') : `${named.slice(0, -1).join(', ')} or ${named.at(-1)!}`;
}

export function parseSourceArgument(argument: string, parts: NamedRuns): Result<OutputSource> {
  const colon = argument.indexOf(':');
  const prefixed = colon > 0 ? parts.find((part) => part.runs?.logs.prefix === argument.slice(0, colon)) : undefined;
  const part = prefixed ?? parts.find((candidate) => candidate.runs?.logs.bare === true);
  if (part?.runs === undefined) return failed({ reason: 'unknown-source', message: `'${argument}': give ${spellings(parts)}` });
  const id = prefixed ? argument.slice(colon + 1) : argument;
  const valid = part.runs.logs.valid ?? ((candidate: string) => candidate.trim() !== '');
  if (!valid(id)) return failed({ reason: 'bad-id', message: `'${argument}': a ${part.runs.kind} is ${part.runs.logs.spelling}` });
  return ok({ part: part.name, id });
}
