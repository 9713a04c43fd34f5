/**
 * The file a `self` event watches: the program of the start command. A name
 * without a `/` is looked up in the daemon's PATH, as exec would (taskforce's
 * `task.get_path`); a relative path resolves against the daemon's folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The absolute path of `program`, or null when it cannot be found. */
export function resolveProgram(program: string, searchPath: string | undefined, cwd: string): string | null {
  if (program.includes('/')) return path.resolve(cwd, program);
  for (const folder of (searchPath ?? '').split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.resolve(cwd, folder, program);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}
