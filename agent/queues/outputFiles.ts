/**
 * Where a queue item's output goes: `<logs>/queues/<id>.out` and `.err`. An id can be pushed
 * again once it ended (by hand, or `retry --id`); that run gets files of its own (`<id>~2.out`,
 * `<id>~3.out`…, the name kept in its spec, so it survives a restart while queued) instead of
 * appending to the earlier run's: its stderr line count, its warning and `logs queue:ID` would
 * otherwise mix both runs, and the earlier history row would lose its output.
 *
 * A file name keeps the id's letters, digits and `_.~-`; any other character becomes `_`, and then
 * `+` and a hash of the exact id follow, so `a/b` and `a_b` never share files (`+` is never kept
 * from an id, so no id's own name can take that form). An id too long for a file name is cut,
 * hashed the same way. Finished and running items keep the paths they were given (history and
 * run rows), so an id named the older way (`a_b` for `a/b`) still finds its files.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rotatedFiles } from '../proc/rotatedLog';
import type { SpareFiles } from './spareFiles';

export interface OutputFiles {
  readonly stdoutFile: string;
  readonly stderrFile: string;
}

/** Longest id kept whole in a file name (a name has at most 255 bytes, and `~N.out.1` follows). */
const LONGEST_KEPT = 120;

/** The file name's stem for an id or `ID~N`: the id itself when it is already safe, else its safe form plus a hash. */
export function outputName(stem: string): string {
  const safe = stem.replace(/[^A-Za-z0-9_.~-]/g, '_');
  if (safe === stem && stem.length <= LONGEST_KEPT) return stem;
  const hash = createHash('sha256').update(stem).digest('hex').slice(0, 12);
  return `${safe.slice(0, LONGEST_KEPT)}+${hash}`;
}

/** The files of a run named `stem` (the item's id, or the stem it got when its id came back). */
export function outputFilesOf(logsDir: string, stem: string): OutputFiles {
  const name = outputName(stem);
  return { stdoutFile: path.join(logsDir, `${name}.out`), stderrFile: path.join(logsDir, `${name}.err`) };
}

function taken(files: OutputFiles): boolean {
  return fs.existsSync(files.stdoutFile) || fs.existsSync(files.stderrFile);
}

/**
 * The stem for a pushed id whose files an earlier run left: undefined when the id's own files are
 * free, else the first free `ID~N` (N from 2).
 */
export function freshOutputStem(logsDir: string, id: string): string | undefined {
  if (!taken(outputFilesOf(logsDir, id))) return undefined;
  for (let n = 2; ; n++) {
    const stem = `${id}~${n}`;
    if (!taken(outputFilesOf(logsDir, stem))) return stem;
  }
}

/** A finished run's output file leaves the history: its rotated pieces go, and the file becomes a spare (with its time index gone: spareFiles.ts). */
export function retireOutputFile(file: string, spares: SpareFiles): void {
  for (const rotated of rotatedFiles(file)) fs.rm(rotated.file, { force: true }, () => undefined);
  spares.give(file);
}
