/**
 * The workspace's `.taskwarden/` folder: the store, logs, and a `.gitignore`
 * so none of it is ever committed by accident.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  fs.mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  const gitignore = path.join(paths.root, '.gitignore');
  if (!fs.existsSync(gitignore)) fs.writeFileSync(gitignore, '*\n');
  return paths;
}
