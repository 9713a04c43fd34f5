/**
 * Loads a group folder's tasklets: every `.js`, `.mjs` and `.ts` file directly
 * in it, in run order (taskletOrder.ts), with what the view shows of each
 * (priority, description, the line of `main`). A file without `main`, with a
 * bad `priority` or that does not load is a problem at file + line; the others
 * run. A folder's fingerprint (names, sizes, times) tells whether to load again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../protocol/diagnostics';
import type { TaskletInfo } from '../protocol';
import { exportLine } from '../../userCode/exportLines';
import { loadUserModule, USER_MODULE_EXTENSIONS } from '../../userCode/moduleLoader';
import { problemAt } from '../problemAt';
import type { RunnableTasklet, TaskletFunction } from './round';
import { compareRunOrder, resolvePriority } from './taskletOrder';

export interface LoadedTasklets {
  /** In run order. */
  readonly infos: readonly TaskletInfo[];
  readonly runnable: readonly RunnableTasklet[];
  readonly problems: readonly Diagnostic[];
}

/** The tasklet files of a folder (sorted by name); a `_`-less `.d.ts` or a dotfile is not one. */
export function taskletFiles(folder: string, extensions: readonly string[] = USER_MODULE_EXTENSIONS): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(
      (entry) =>
        entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.d.ts') && extensions.includes(path.extname(entry.name)),
    )
    .map((entry) => entry.name)
    .sort();
}

/** Names, sizes and modification times of the tasklet files: a different fingerprint means load again. */
export function folderFingerprint(folder: string, extensions: readonly string[] = USER_MODULE_EXTENSIONS): string {
  return taskletFiles(folder, extensions)
    .map((name) => {
      try {
        const stat = fs.statSync(path.join(folder, name));
        return `${name}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `${name}:gone`;
      }
    })
    .join('|');
}

export async function loadTasklets(folder: string): Promise<LoadedTasklets> {
  const loaded: { info: TaskletInfo; runnable: RunnableTasklet }[] = [];
  const problems: Diagnostic[] = [];
  for (const name of taskletFiles(folder)) {
    const file = path.join(folder, name);
    const module = await loadUserModule(file);
    if (!module.ok) {
      problems.push(problemAt(module.error.file, module.error.line ?? 1, module.error.message));
      continue;
    }
    let source = '';
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch {
      // Removed since: its exports still say what it was.
    }
    const exports = module.value;
    const main = exports.main ?? (exports.default as Record<string, unknown> | undefined)?.main;
    if (typeof main !== 'function') {
      problems.push(problemAt(file, 1, `${name} has no main(params, ctx) export: skipped`));
      continue;
    }
    const match = exports.match;
    if (match !== undefined && typeof match !== 'function')
      problems.push(problemAt(file, exportLine(source, 'match') ?? 1, 'match must be a function: ignored'));
    const priority = resolvePriority(name, exports.priority);
    if (priority.problem !== null) problems.push(problemAt(file, exportLine(source, 'priority') ?? 1, priority.problem));
    const description = typeof exports.description === 'string' ? exports.description : null;
    loaded.push({
      info: {
        name,
        file,
        priority: priority.priority,
        prioritySource: priority.source,
        description,
        mainLine: exportLine(source, 'main'),
        hasMatch: typeof match === 'function',
      },
      runnable: { name, main: main as TaskletFunction, match: typeof match === 'function' ? (match as TaskletFunction) : null },
    });
  }
  loaded.sort((a, b) => compareRunOrder(a.info, b.info));
  return { infos: loaded.map((entry) => entry.info), runnable: loaded.map((entry) => entry.runnable), problems };
}
