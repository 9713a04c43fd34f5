/**
 * The line a listing prints when the config on disk has errors (the last good
 * config keeps running): "config: 2 errors in taskwarden.yaml — run taskwarden check".
 */
import * as path from 'node:path';
import type { AgentStatus } from '../protocol/agent';
import { counted } from '../protocol/counts';

/** The note for this agent status, or null when its config has no errors. */
export function configErrorsNote(status: Pick<AgentStatus, 'configErrors' | 'configFile' | 'workspace'>): string | null {
  if (status.configErrors === 0) return null;
  const file = path.relative(status.workspace, status.configFile) || status.configFile;
  return `config: ${counted(status.configErrors, 'error')} in ${file} — run taskwarden check`;
}
