/**
 * Where each daemon instance's output goes (rotated by agent/proc/logRotator.ts).
 */
import * as path from 'node:path';
import type { OutputFiles } from '../proc/logRotator';
import { fileSafeName } from './logFileNames';

/** The two output files of one instance. */
export type InstanceLogFiles = OutputFiles;

/** `.taskwarden/logs/daemons`, created on demand. */
export function daemonLogDirectory(logsRoot: string): string {
  return path.join(logsRoot, 'daemons');
}

/** `<dir>/<task>.<instance>.out` and `.err`, the task name encoded by `fileSafeName`. */
export function instanceLogFiles(directory: string, task: string, instance: number): InstanceLogFiles {
  const base = path.join(directory, `${fileSafeName(task)}.${instance}`);
  return { stdout: `${base}.out`, stderr: `${base}.err` };
}
