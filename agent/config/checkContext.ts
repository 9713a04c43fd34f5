/**
 * The real-world CheckContext: this machine's environment and files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { CheckContext } from './checks';

export function systemCheckContext(workspace: string, rolesFile?: string): CheckContext {
  return {
    workspace,
    environment: Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    host: os.hostname(),
    rolesFile,
    readFile: (absolutePath) => {
      try {
        return fs.readFileSync(absolutePath, 'utf8');
      } catch {
        return null;
      }
    },
    pathKind: (absolutePath) => {
      try {
        return fs.statSync(absolutePath).isDirectory() ? 'folder' : 'file';
      } catch {
        return null;
      }
    },
  };
}
