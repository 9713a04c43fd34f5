/**
 * The workspace's `.taskwarden/` folder: the store, logs, and a `.gitignore`
 * so none of it is ever committed by accident. Output and history can hold
 * secrets, so the folder is the user's alone: folders 0700, files 0600. The
 * agent creates everything under umask 077 (agent/proc/umask.ts); what an
 * older version or another umask left is corrected when an agent starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from '../proc/umask';

export interface StatePaths {
  readonly root: string;
  readonly database: string;
  readonly lock: string;
  readonly logs: string;
  readonly agentLog: string;
}

export function statePaths(workspace: string): StatePaths {
  const root = path.join(workspace, '.taskwarden');
  const logs = path.join(root, 'logs');
  return {
    root,
    database: path.join(root, 'state.db'),
    lock: path.join(root, 'agent.lock'),
    logs,
    agentLog: path.join(logs, 'agent.log'),
  };
}

/** Creates `.taskwarden/`, `logs/` and the `.gitignore` if missing. */
export function ensureStateDirectory(workspace: string): StatePaths {
  const paths = statePaths(workspace);
  fs.mkdirSync(paths.logs, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  const gitignore = path.join(paths.root, '.gitignore');
  if (!fs.existsSync(gitignore)) fs.writeFileSync(gitignore, '*\n', { mode: PRIVATE_FILE_MODE });
  return paths;
}

/**
 * Gives every folder under `root` (itself included) mode 0700 and every file
 * 0600; returns what it had to change. Symbolic links are not followed: what
 * they point to is not ours to change.
 */
export function makeStatePrivate(root: string): string[] {
  const changed: string[] = [];
  const visit = (entry: string): void => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(entry);
    } catch {
      return;
    }
    const wanted = stat.isDirectory() ? PRIVATE_FOLDER_MODE : stat.isFile() ? PRIVATE_FILE_MODE : null;
    if (wanted === null) return;
    if ((stat.mode & 0o7777) !== wanted) {
      try {
        fs.chmodSync(entry, wanted);
        changed.push(entry);
      } catch {
        // Not ours (another owner): nothing we can do here.
      }
    }
    if (!stat.isDirectory()) return;
    let names: string[] = [];
    try {
      names = fs.readdirSync(entry);
    } catch {
      // Unreadable: its entries stay as they are.
    }
    for (const name of names) visit(path.join(entry, name));
  };
  visit(root);
  return changed;
}
