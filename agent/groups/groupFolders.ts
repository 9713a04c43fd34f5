/**
 * What the groups root holds: one group per sub-folder (dotted folders are
 * not groups), the language of each (`.js`/`.mjs`/`.ts` or `.py` tasklets;
 * both in one folder is a problem), and the settings a group runs with
 * (defaults, then its `groups.each` entry).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskletLanguage } from './protocol';
import { USER_MODULE_EXTENSIONS } from '../userCode/moduleLoader';
import type { GroupsConfig } from './config/groupsConfig';
import type { GroupSettings } from './liveGroup';

export const PYTHON_EXTENSIONS: readonly string[] = ['.py'];

/** The sub-folders of `root` (sorted), or none when it does not exist. */
export function groupFolders(root: string): string[] {
  try {
    return fs
      .readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('__'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** The language of a folder's tasklets, or a problem when it mixes them. */
export function folderLanguage(folder: string): { readonly language: TaskletLanguage | null; readonly problem: string | null } {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return { language: null, problem: null };
  }
  const javascript = names.some((name) => USER_MODULE_EXTENSIONS.includes(path.extname(name)) && !name.endsWith('.d.ts'));
  const python = names.some((name) => PYTHON_EXTENSIONS.includes(path.extname(name)));
  if (javascript && python)
    return { language: 'javascript', problem: 'this group mixes Python and JavaScript/TypeScript tasklets: one group is one language' };
  return { language: python ? 'python' : 'javascript', problem: null };
}

let pythonChecked: string | null | undefined;

/** Null when `python3` runs, else a message saying it is missing. */
export function pythonProblem(): string | null {
  if (pythonChecked !== undefined) return pythonChecked;
  const result = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  pythonChecked = result.status === 0 ? null : "this group has Python tasklets but python3 was not found on the agent's PATH";
  return pythonChecked;
}

export function groupSettings(config: GroupsConfig, name: string): GroupSettings {
  const overrides = config.each.get(name) ?? {};
  const folder = path.join(config.root, name);
  const detected = folderLanguage(folder);
  const broken = detected.problem ?? (detected.language === 'python' ? pythonProblem() : null);
  return {
    name,
    folder,
    paramsFolder: path.join(config.paramsRoot, name),
    intervalMs: (overrides.intervalSeconds ?? config.intervalSeconds) * 1000,
    timeLimitMs: (overrides.timeLimitSeconds ?? config.timeLimitSeconds) * 1000,
    enabled: overrides.enabled ?? true,
    history: config.history,
    language: detected.language,
    broken,
  };
}

export function sameSettings(a: GroupSettings, b: GroupSettings): boolean {
  return (
    a.folder === b.folder &&
    a.paramsFolder === b.paramsFolder &&
    a.intervalMs === b.intervalMs &&
    a.timeLimitMs === b.timeLimitMs &&
    a.enabled === b.enabled &&
    a.history === b.history &&
    a.language === b.language &&
    a.broken === b.broken
  );
}
