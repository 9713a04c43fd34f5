/**
 * Removes the start of a file in place while a process may be appending to it,
 * without losing what it appends: fallocate(FALLOC_FL_COLLAPSE_RANGE), run by
 * the native helper (`taskwarden-spawner collapse`, see spawner/spawner.c)
 * because Node has no fallocate. ext4 and xfs support it for whole blocks; where
 * it is not supported (tmpfs, no helper) the caller falls back.
 */
import { spawnSync } from 'node:child_process';
import { locateSpawner } from './spawnHelper';

/** True when the first `bytes` of `file` were removed. */
export function collapseFront(file: string, bytes: number): boolean {
  const helper = locateSpawner();
  if (helper === null || bytes <= 0) return false;
  return spawnSync(helper, ['collapse', file, String(bytes)], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}
